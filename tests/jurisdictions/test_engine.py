"""The rule engine, kind by kind, on small packs written inline (pure: no database).

Expected dates are computed by hand from the State Council's 2026 holiday schedule
(国庆节 10月1日至7日放假，9月20日（周日）、10月10日（周六）上班；中秋节 9月25日至27日放假).
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from decimal import Decimal

import pytest

from jurisdictions.rules import FactError, PackError, evaluate, load_pack_text, measure_status
from jurisdictions.rules.calendar import WorkingCalendar
from jurisdictions.rules.schema import Outcome
from tests.conftest import testland_text

D = dt.date
AS_OF = D(2026, 6, 1)

HEADER = """\
schema_version: 1
jurisdiction: {{code: tl, name: {{zh: 测试市, en: Testland}}, level: city}}
measure:
  title: {{zh: 测试市政务信息化项目管理办法, en: Testland measures}}
  document_number: 测政发〔2025〕1号
  effective_from: {effective_from}
  effective_to: {effective_to}
  validity: {{zh: 自2025年1月1日起施行, en: From 1 Jan 2025}}
  source: inline
documents:
  - {{code: proposal, name: {{zh: 项目建议书, en: Project proposal}}}}
  - {{code: fsr, name: {{zh: 可行性研究报告, en: Feasibility study report}}}}
  - {{code: security_plan, name: {{zh: 安全方案, en: Security plan}}}}
rules:
"""


def rule(name: str, kind: str, body: str = "", *, phase: str = "intake", message: str | None = None) -> str:
    """One rule as a YAML list item; `body` holds the kind-specific fields."""
    head = [
        f"- id: tl.{phase}.{name}",
        f"  kind: {kind}",
        f"  phase: {phase}",
        f"  title: {{zh: 标题{name}, en: Title {name}}}",
        "  citation: {article: 第十条, clause: （二）}",
        f"  message: {message or '{zh: 未满足, en: Not satisfied}'}",
    ]
    return "\n".join(head) + "\n" + textwrap.indent(textwrap.dedent(body).strip("\n"), "  ") + "\n"


def pack(*rules: str, effective_from: str = "2025-01-01", effective_to: str = "null"):
    text = HEADER.format(effective_from=effective_from, effective_to=effective_to)
    text += "".join(textwrap.indent(r, "  ") for r in rules)
    spec, _content = load_pack_text(text, source="inline.yaml")
    return spec


def one(spec, facts, *, as_of=AS_OF, calendar=None):
    (verdict,) = evaluate(spec, facts, as_of=as_of, calendar=calendar)
    return verdict


# ---------------------------------------------------------------------------- threshold

THRESHOLD = """
fact: total_investment_wan
op: {op}
value: 200
"""


@pytest.mark.parametrize(
    ("op", "investment", "met"),
    [
        ("gte", "200", True),
        ("gte", "199.99", False),
        ("gt", "200", False),
        ("gt", "200.01", True),
        ("lte", "200", True),
        ("lte", "200.5", False),
        ("lt", "200", False),
        ("lt", "150", True),
    ],
)
def test_threshold_each_op_at_and_around_the_boundary(op, investment, met):
    spec = pack(rule("supervision", "threshold", THRESHOLD.format(op=op), phase="construction"))
    verdict = one(spec, {"total_investment_wan": investment})
    # defaults: when_met required, when_not_met pass
    assert verdict.outcome is (Outcome.REQUIRED if met else Outcome.PASS)
    assert verdict.data["met"] is met
    assert verdict.data["value"] == Decimal(investment)
    assert verdict.data["threshold"] == Decimal(200)


def test_threshold_custom_outcomes():
    body = THRESHOLD.format(op="gt") + "when_met: fail\nwhen_not_met: info\n"
    spec = pack(rule("cap", "threshold", body))
    assert one(spec, {"total_investment_wan": 201}).outcome is Outcome.FAIL
    assert one(spec, {"total_investment_wan": 200}).outcome is Outcome.INFO


def test_threshold_missing_fact_is_unknown():
    spec = pack(rule("supervision", "threshold", THRESHOLD.format(op="gte")))
    verdict = one(spec, {"is_urgent": True})
    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.data == {"missing_facts": ["total_investment_wan"]}
    # People read the fact by its name; the code stays in the data for programs.
    assert verdict.message.zh.startswith("尚需填报：总投资（万元）")
    assert "total_investment_wan" not in verdict.message.zh
    assert "total investment" in verdict.message.en


# ---------------------------------------------------------------------------- required_documents

DOCS = """
stage: declaration
documents:
  - {code: proposal}
  - {code: fsr, when: {fact: total_investment_wan, op: gte, value: 100}}
"""


def test_required_documents_all_on_file_pass():
    spec = pack(rule("docs", "required_documents", DOCS))
    verdict = one(spec, {"documents": ["proposal", "fsr"], "total_investment_wan": 150})
    assert verdict.outcome is Outcome.PASS
    assert verdict.data["missing"] == []
    assert verdict.data["required"] == ["proposal", "fsr"]


def test_required_documents_missing_ones_are_named():
    spec = pack(rule("docs", "required_documents", DOCS))
    verdict = one(spec, {"documents": ["fsr"], "total_investment_wan": 150})
    assert verdict.outcome is Outcome.FAIL
    assert verdict.data["missing"] == [
        {"code": "proposal", "name_zh": "项目建议书", "name_en": "Project proposal"}
    ]


def test_required_documents_without_documents_fact_everything_is_missing():
    spec = pack(rule("docs", "required_documents", DOCS))
    verdict = one(spec, {"total_investment_wan": 150})
    assert verdict.outcome is Outcome.FAIL
    assert [m["code"] for m in verdict.data["missing"]] == ["proposal", "fsr"]


def test_required_documents_conditional_when_false_is_not_required():
    spec = pack(rule("docs", "required_documents", DOCS))
    verdict = one(spec, {"documents": ["proposal"], "total_investment_wan": 99})
    assert verdict.outcome is Outcome.PASS
    assert verdict.data["required"] == ["proposal"]
    assert verdict.data["conditional_unknown"] == []


def test_required_documents_conditional_when_true_is_required():
    spec = pack(rule("docs", "required_documents", DOCS))
    verdict = one(spec, {"documents": ["proposal"], "total_investment_wan": 100})
    assert verdict.outcome is Outcome.FAIL
    assert [m["code"] for m in verdict.data["missing"]] == ["fsr"]


def test_required_documents_unknown_condition_counts_as_required_and_is_listed():
    spec = pack(rule("docs", "required_documents", DOCS))
    verdict = one(spec, {"documents": ["proposal"]})
    assert verdict.outcome is Outcome.FAIL
    assert verdict.data["required"] == ["proposal", "fsr"]
    assert verdict.data["conditional_unknown"] == ["fsr"]
    assert [m["code"] for m in verdict.data["missing"]] == ["fsr"]


def test_required_documents_unknown_condition_but_document_on_file_passes():
    spec = pack(rule("docs", "required_documents", DOCS))
    verdict = one(spec, {"documents": ["proposal", "fsr"]})
    assert verdict.outcome is Outcome.PASS
    assert verdict.data["conditional_unknown"] == ["fsr"]


def test_required_documents_outcome_if_missing():
    spec = pack(rule("docs", "required_documents", DOCS + "outcome_if_missing: required\n"))
    assert one(spec, {"documents": [], "total_investment_wan": 1}).outcome is Outcome.REQUIRED


# ---------------------------------------------------------------------------- negative_list

NEGATIVE = """
items:
  - {code: duplicate, clause: （一）, text: {zh: 重复建设, en: Duplicate construction}}
  - {code: no_share, clause: （二）, text: {zh: 不共享数据, en: Does not share data}}
"""


def test_negative_list_hit_fails_and_names_the_item():
    spec = pack(rule("negative", "negative_list", NEGATIVE))
    verdict = one(spec, {"negative_list_answers": {"duplicate": False, "no_share": True}})
    assert verdict.outcome is Outcome.FAIL
    assert [h["code"] for h in verdict.data["hits"]] == ["no_share"]
    assert verdict.data["hits"][0]["clause"] == "（二）"
    assert verdict.data["unanswered"] == []


def test_negative_list_hit_wins_over_unanswered():
    spec = pack(rule("negative", "negative_list", NEGATIVE))
    verdict = one(spec, {"negative_list_answers": {"duplicate": True}})
    assert verdict.outcome is Outcome.FAIL
    assert verdict.data["unanswered"] == ["no_share"]


def test_negative_list_unanswered_is_required():
    spec = pack(rule("negative", "negative_list", NEGATIVE))
    verdict = one(spec, {"negative_list_answers": {"duplicate": False}})
    assert verdict.outcome is Outcome.REQUIRED
    assert verdict.data["unanswered"] == ["no_share"]
    assert verdict.data["hits"] == []


def test_negative_list_no_answers_at_all_is_required():
    spec = pack(rule("negative", "negative_list", NEGATIVE))
    verdict = one(spec, {})
    assert verdict.outcome is Outcome.REQUIRED
    assert verdict.data["unanswered"] == ["duplicate", "no_share"]


def test_negative_list_all_answered_false_passes():
    spec = pack(rule("negative", "negative_list", NEGATIVE))
    verdict = one(spec, {"negative_list_answers": {"duplicate": False, "no_share": False}})
    assert verdict.outcome is Outcome.PASS
    assert verdict.data["items"] == ["duplicate", "no_share"]


# ---------------------------------------------------------------------------- deadline


def deadline(offset: str, anchor: str = "trial_run_start", done: str | None = None) -> str:
    body = f"anchor: {anchor}\noffset: {offset}\n"
    if done:
        body += f"done_fact: {done}\n"
    return rule("deadline", "deadline", body, phase="acceptance")


@pytest.mark.parametrize(
    ("offset", "anchor_date", "due"),
    [
        # calendar days: 1 March + 30 days
        ("{amount: 30, unit: calendar_days}", D(2026, 3, 1), D(2026, 3, 31)),
        # calendar days run straight through the National Day holiday
        ("{amount: 7, unit: calendar_days}", D(2026, 9, 30), D(2026, 10, 7)),
        # working days: Thu 24 Sep + 5 → 28, 29, 30 Sep (25–27 Mid-Autumn), 8, 9 Oct (1–7 National Day)
        ("{amount: 5, unit: working_days}", D(2026, 9, 24), D(2026, 10, 9)),
        # working days: Fri 9 Oct + 1 → Sat 10 Oct, a make-up workday (调休上班)
        ("{amount: 1, unit: working_days}", D(2026, 10, 9), D(2026, 10, 10)),
        # months clamp to the end of a shorter month
        ("{amount: 1, unit: months}", D(2026, 1, 31), D(2026, 2, 28)),
        ("{amount: 6, unit: months}", D(2025, 8, 15), D(2026, 2, 15)),
        ("{amount: 1, unit: years}", D(2024, 2, 29), D(2025, 2, 28)),
    ],
)
def test_deadline_offsets(offset, anchor_date, due):
    spec = pack(deadline(offset))
    verdict = one(spec, {"trial_run_start": anchor_date}, as_of=anchor_date)
    assert verdict.data["due_date"] == due
    assert verdict.data["anchor_date"] == anchor_date
    assert verdict.data["days_left"] == (due - anchor_date).days
    assert verdict.outcome is Outcome.REQUIRED


def test_deadline_working_days_use_the_given_calendar():
    spec = pack(deadline("{amount: 1, unit: working_days}"))
    # a local day off on Thu 8 Oct 2026 pushes the due date to Fri 9 Oct
    calendar = WorkingCalendar(overrides={D(2026, 10, 8): False})
    verdict = one(spec, {"trial_run_start": D(2026, 9, 30)}, calendar=calendar)
    assert verdict.data["due_date"] == D(2026, 10, 9)
    assert one(spec, {"trial_run_start": D(2026, 9, 30)}).data["due_date"] == D(2026, 10, 8)


def test_deadline_working_days_into_an_unknown_year_are_flagged():
    spec = pack(deadline("{amount: 1, unit: working_days}"))
    verdict = one(spec, {"trial_run_start": D(2026, 12, 31)})
    assert verdict.data["due_date"] == D(2027, 1, 1)  # Friday, weekday fallback
    assert verdict.data["calendar_unknown_years"] == [2027]


YEARLY = "fixed: {month: 6, day: 30}\nsince: construction_start_date\ndone_fact: progress_report_date\n"


def test_yearly_deadline_is_owed_from_its_start():
    spec = pack(rule("report", "deadline", YEARLY, phase="evaluation"))
    started = {"construction_start_date": D(2025, 9, 1)}
    # started after the 2025-06-30 due day: the first duty is 2026-06-30
    first = one(spec, started, as_of=D(2026, 5, 1))
    assert (first.outcome, first.data["due_date"], first.data["days_left"]) == (
        Outcome.REQUIRED,
        D(2026, 6, 30),
        60,
    )
    # a report filed since the last due day meets the coming one
    filed = one(spec, {**started, "progress_report_date": D(2025, 12, 1)}, as_of=D(2026, 5, 1))
    assert (filed.outcome, filed.data["due_date"]) == (Outcome.PASS, D(2026, 6, 30))
    # nothing filed and the due day has passed: overdue until filed
    late = one(spec, started, as_of=D(2026, 7, 1))
    assert (late.outcome, late.data["due_date"], late.data["days_left"]) == (Outcome.FAIL, D(2026, 6, 30), -1)
    # filed on the day: that year is done, the next year's report is owed
    on_time = one(spec, {**started, "progress_report_date": D(2026, 6, 30)}, as_of=D(2026, 7, 1))
    assert (on_time.outcome, on_time.data["due_date"]) == (Outcome.REQUIRED, D(2027, 6, 30))
    # an old report does not meet this year's duty
    stale = one(spec, {**started, "progress_report_date": D(2025, 6, 1)}, as_of=D(2026, 7, 1))
    assert (stale.outcome, stale.data["due_date"]) == (Outcome.FAIL, D(2026, 6, 30))
    assert one(spec, {}, as_of=D(2026, 8, 1)).outcome is Outcome.UNKNOWN


def test_yearly_deadline_shape_is_checked():
    with pytest.raises(PackError, match="`since` is for yearly deadlines"):
        pack(
            rule("r", "deadline", "anchor: approval_date\nfixed: {month: 6, day: 30}\nsince: approval_date\n")
        )
    with pytest.raises(PackError, match="no `year_offset`"):
        pack(rule("r", "deadline", "fixed: {month: 6, day: 30, year_offset: 1}\n"))


def test_deadline_fixed_date_with_anchor_and_year_offset():
    body = (
        "anchor: approval_date\nfixed: {month: 3, day: 31, year_offset: 1}\ndone_fact: plan_submitted_date\n"
    )
    spec = pack(rule("plan", "deadline", body, phase="evaluation"))
    verdict = one(spec, {"approval_date": D(2025, 11, 20)}, as_of=D(2026, 1, 10))
    assert verdict.data["due_date"] == D(2026, 3, 31)
    assert verdict.outcome is Outcome.REQUIRED
    # the anchor's year, not as_of's year, is the base
    verdict = one(spec, {"approval_date": D(2024, 5, 1)}, as_of=D(2026, 1, 10))
    assert verdict.data["due_date"] == D(2025, 3, 31)
    assert verdict.outcome is Outcome.FAIL


def test_deadline_fixed_date_with_missing_anchor_is_unknown():
    body = "anchor: approval_date\nfixed: {month: 3, day: 31}\n"
    spec = pack(rule("plan", "deadline", body, phase="evaluation"))
    verdict = one(spec, {})
    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.data["missing_facts"] == ["approval_date"]


@pytest.mark.parametrize(
    ("done_on", "outcome"),
    [
        (D(2026, 10, 8), Outcome.PASS),  # before the due date
        (D(2026, 10, 9), Outcome.PASS),  # on the due date is on time
        (D(2026, 10, 10), Outcome.FAIL),  # one day late
    ],
)
def test_deadline_done_fact_on_time_or_late(done_on, outcome):
    spec = pack(deadline("{amount: 5, unit: working_days}", done="acceptance_date"))
    # as_of long after the due date: once done, lateness is judged by the done date
    facts = {"trial_run_start": D(2026, 9, 24), "acceptance_date": done_on}
    verdict = one(spec, facts, as_of=D(2026, 12, 1))
    assert verdict.data["due_date"] == D(2026, 10, 9)
    assert verdict.data["done_on"] == done_on
    assert verdict.outcome is outcome


@pytest.mark.parametrize(
    ("as_of", "outcome"),
    [(D(2026, 10, 1), Outcome.REQUIRED), (D(2026, 10, 9), Outcome.REQUIRED), (D(2026, 10, 10), Outcome.FAIL)],
)
def test_deadline_not_done_open_or_overdue(as_of, outcome):
    spec = pack(deadline("{amount: 5, unit: working_days}", done="acceptance_date"))
    verdict = one(spec, {"trial_run_start": D(2026, 9, 24)}, as_of=as_of)
    assert verdict.outcome is outcome
    assert verdict.data["done_on"] is None
    assert verdict.data["days_left"] == (D(2026, 10, 9) - as_of).days


def test_deadline_missing_anchor_is_unknown():
    spec = pack(deadline("{amount: 5, unit: working_days}"))
    verdict = one(spec, {"acceptance_date": D(2026, 1, 1)})
    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.data == {"missing_facts": ["trial_run_start"]}


# ---------------------------------------------------------------------------- window

WINDOW = """
anchor: acceptance_date
opens: {amount: 12, unit: months}
closes: {amount: 24, unit: months}
done_fact: self_evaluation_date
"""


@pytest.mark.parametrize(
    ("as_of", "outcome"),
    [
        (D(2026, 3, 14), Outcome.INFO),  # before it opens
        (D(2026, 3, 15), Outcome.REQUIRED),  # opening day
        (D(2026, 9, 1), Outcome.REQUIRED),  # inside
        (D(2027, 3, 15), Outcome.REQUIRED),  # closing day
        (D(2027, 3, 16), Outcome.FAIL),  # after it closed
    ],
)
def test_window_not_done(as_of, outcome):
    spec = pack(rule("self_eval", "window", WINDOW, phase="evaluation"))
    verdict = one(spec, {"acceptance_date": D(2025, 3, 15)}, as_of=as_of)
    assert verdict.data["opens_on"] == D(2026, 3, 15)
    assert verdict.data["closes_on"] == D(2027, 3, 15)
    assert verdict.outcome is outcome


@pytest.mark.parametrize(
    ("done_on", "outcome"),
    [
        (D(2026, 3, 14), Outcome.FAIL),  # too early
        (D(2026, 3, 15), Outcome.PASS),
        (D(2027, 3, 15), Outcome.PASS),
        (D(2027, 3, 16), Outcome.FAIL),  # too late
    ],
)
def test_window_done(done_on, outcome):
    spec = pack(rule("self_eval", "window", WINDOW, phase="evaluation"))
    facts = {"acceptance_date": D(2025, 3, 15), "self_evaluation_date": done_on}
    verdict = one(spec, facts, as_of=D(2026, 1, 1))  # as_of before opening: done decides
    assert verdict.outcome is outcome
    assert verdict.data["done_on"] == done_on


def test_window_in_working_days():
    body = (
        "anchor: acceptance_date\n"
        "opens: {amount: 1, unit: working_days}\n"
        "closes: {amount: 5, unit: working_days}\n"
    )
    spec = pack(rule("w", "window", body, phase="evaluation"))
    verdict = one(spec, {"acceptance_date": D(2026, 9, 24)}, as_of=D(2026, 9, 26))
    # Thu 24 Sep: first working day after is Mon 28 Sep; fifth is Fri 9 Oct
    assert verdict.data["opens_on"] == D(2026, 9, 28)
    assert verdict.data["closes_on"] == D(2026, 10, 9)
    assert verdict.outcome is Outcome.INFO


def test_window_missing_anchor_is_unknown():
    spec = pack(rule("self_eval", "window", WINDOW, phase="evaluation"))
    verdict = one(spec, {"self_evaluation_date": D(2026, 5, 1)})
    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.data["missing_facts"] == ["acceptance_date"]


# ---------------------------------------------------------------------------- condition

CONDITION = """
condition:
  all:
    - {fact: is_new_build, op: is_true}
    - {fact: deployed_on_gov_cloud, op: is_false}
"""


@pytest.mark.parametrize(
    ("facts", "outcome", "met"),
    [
        ({"is_new_build": True, "deployed_on_gov_cloud": False}, Outcome.FAIL, True),
        ({"is_new_build": True, "deployed_on_gov_cloud": True}, Outcome.PASS, False),
        ({"is_new_build": False}, Outcome.PASS, False),  # decided without the missing fact
    ],
)
def test_condition_default_outcomes(facts, outcome, met):
    spec = pack(rule("cloud", "condition", CONDITION))
    verdict = one(spec, facts)
    assert verdict.outcome is outcome
    assert verdict.data == {"condition_met": met}


def test_condition_custom_when_true_and_when_false():
    spec = pack(rule("cloud", "condition", CONDITION + "when_true: required\nwhen_false: info\n"))
    assert one(spec, {"is_new_build": True, "deployed_on_gov_cloud": False}).outcome is Outcome.REQUIRED
    assert one(spec, {"is_new_build": True, "deployed_on_gov_cloud": True}).outcome is Outcome.INFO


def test_condition_unknown_lists_missing_facts():
    spec = pack(rule("cloud", "condition", CONDITION))
    verdict = one(spec, {"is_new_build": True})
    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.data == {"missing_facts": ["deployed_on_gov_cloud"]}
    both = one(spec, {})
    assert both.data == {"missing_facts": ["deployed_on_gov_cloud", "is_new_build"]}


# ---------------------------------------------------------------------------- change_tolerance


def change(extra: str = "") -> str:
    body = "max_ratio: 0.10\nroute_within: record\nroute_beyond: re_approval\n" + extra
    return rule("tolerance", "change_tolerance", body, phase="change")


@pytest.mark.parametrize(
    ("adjustment", "outcome", "ratio_percent"),
    [
        ("80", Outcome.PASS, Decimal("8.00")),
        ("100", Outcome.PASS, Decimal("10.00")),  # exactly the limit is within
        ("100.1", Outcome.REQUIRED, Decimal("10.01")),
        ("-150", Outcome.REQUIRED, Decimal("15.00")),  # a reduction counts by its size
    ],
)
def test_change_tolerance_ratio(adjustment, outcome, ratio_percent):
    spec = pack(change())
    verdict = one(spec, {"approved_estimate_wan": 1000, "adjustment_wan": adjustment})
    assert verdict.outcome is outcome
    assert verdict.data["ratio_percent"] == ratio_percent
    assert verdict.data["max_percent"] == Decimal(10)
    within = outcome is Outcome.PASS
    assert verdict.data["route"] == ("record" if within else "re_approval")
    assert verdict.data["beyond_because"] == ([] if within else ["ratio"])


@pytest.mark.parametrize(
    ("exclude", "savings", "counted", "outcome"),
    [
        (True, "60", Decimal(90), Outcome.PASS),  # 150 − 60 = 90 ≤ 100
        (False, "60", Decimal(150), Outcome.REQUIRED),  # savings ignored unless the rule says so
        (True, "200", Decimal(0), Outcome.PASS),  # never below zero
        (True, None, Decimal(150), Outcome.REQUIRED),  # no savings given: nothing excluded
    ],
)
def test_change_tolerance_tender_savings_exclusion(exclude, savings, counted, outcome):
    spec = pack(change(f"exclude_tender_savings: {str(exclude).lower()}\n"))
    facts = {"approved_estimate_wan": 1000, "adjustment_wan": 150}
    if savings is not None:
        facts["tender_savings_wan"] = savings
    verdict = one(spec, facts)
    assert verdict.data["adjustment_counted_wan"] == counted
    assert verdict.outcome is outcome


BASE_CHANGE = {"approved_estimate_wan": 1000, "adjustment_wan": 50}


@pytest.mark.parametrize(
    ("extra", "within", "beyond", "reason"),
    [
        (
            "new_content_max_ratio: 0.05\n",
            {"new_content_wan": 50},
            {"new_content_wan": "50.01"},
            "new_content_ratio",
        ),
        ("new_content_max_wan: 30\n", {"new_content_wan": 30}, {"new_content_wan": 31}, "new_content_amount"),
        (
            "only_before_procurement: true\n",
            {"procurement_started": False},
            {"procurement_started": True},
            "after_procurement",
        ),
        ("requires_goal_unchanged: true\n", {"goal_changed": False}, {"goal_changed": True}, "goal_changed"),
        (
            "requires_within_estimate: true\n",
            {"within_estimate": True},
            {"within_estimate": False},
            "beyond_estimate",
        ),
        (
            "allowed_reasons: [higher_order, technical_optimisation]\n",
            {"change_reason": "technical_optimisation"},
            {"change_reason": "business_need"},
            "reason_not_allowed",
        ),
    ],
)
def test_change_tolerance_each_reason_within_and_beyond(extra, within, beyond, reason):
    spec = pack(change(extra))
    ok = one(spec, {**BASE_CHANGE, **within})
    assert ok.outcome is Outcome.PASS
    assert ok.data["route"] == "record"
    assert ok.data["beyond_because"] == []
    out = one(spec, {**BASE_CHANGE, **beyond})
    assert out.outcome is Outcome.REQUIRED
    assert out.data["route"] == "re_approval"
    assert out.data["beyond_because"] == [reason]
    # the extra fact is needed: without it the verdict is unknown
    missing = one(spec, BASE_CHANGE)
    assert missing.outcome is Outcome.UNKNOWN
    assert missing.data["missing_facts"] == list(within)


def test_change_tolerance_collects_every_reason():
    extra = "requires_goal_unchanged: true\nonly_before_procurement: true\n"
    spec = pack(change(extra))
    facts = {
        "approved_estimate_wan": 100,
        "adjustment_wan": 20,
        "goal_changed": True,
        "procurement_started": True,
    }
    verdict = one(spec, facts)
    assert verdict.data["beyond_because"] == ["ratio", "after_procurement", "goal_changed"]


def test_change_tolerance_missing_base_facts_unknown():
    spec = pack(change())
    verdict = one(spec, {})
    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.data["missing_facts"] == ["approved_estimate_wan", "adjustment_wan"]


def test_change_tolerance_zero_estimate_is_beyond():
    spec = pack(change())
    verdict = one(spec, {"approved_estimate_wan": 0, "adjustment_wan": 1})
    assert verdict.outcome is Outcome.REQUIRED
    assert verdict.data["ratio_percent"] is None
    assert verdict.data["beyond_because"] == ["ratio"]
    json.dumps(verdict.to_dict())


# ---------------------------------------------------------------------------- track

TRACK = """
options:
  - track: urgent
    name: {zh: 应急, en: Urgent}
    when: {fact: is_urgent, op: is_true}
    stages: [fsr]
  - track: major
    name: {zh: 重大, en: Major}
    when: {fact: total_investment_wan, op: gte, value: 1000}
    stages: [proposal, fsr, design]
  - track: standard
    name: {zh: 一般, en: Standard}
    stages: [proposal, fsr]
"""


@pytest.mark.parametrize(
    ("facts", "track", "stages"),
    [
        ({"is_urgent": True, "total_investment_wan": 5000}, "urgent", ["fsr"]),
        ({"is_urgent": True}, "urgent", ["fsr"]),  # first match decides; later facts not needed
        ({"is_urgent": False, "total_investment_wan": 1000}, "major", ["proposal", "fsr", "design"]),
        ({"is_urgent": False, "total_investment_wan": 999}, "standard", ["proposal", "fsr"]),
    ],
)
def test_track_first_matching_option(facts, track, stages):
    spec = pack(rule("track", "track", TRACK, phase="approval"))
    verdict = one(spec, facts)
    assert verdict.outcome is Outcome.INFO
    assert verdict.data["track"] == track
    assert verdict.data["stages"] == stages


def test_track_names_in_data():
    spec = pack(rule("track", "track", TRACK, phase="approval"))
    verdict = one(spec, {"is_urgent": False, "total_investment_wan": 2000})
    assert (verdict.data["track_name_zh"], verdict.data["track_name_en"]) == ("重大", "Major")
    title_zh, title_en = spec.rules[0].title.zh, spec.rules[0].title.en
    assert (verdict.message.zh, verdict.message.en) == (f"{title_zh}：重大", f"{title_en}: Major")


@pytest.mark.parametrize(
    ("facts", "missing"),
    [({}, ["is_urgent"]), ({"is_urgent": False}, ["total_investment_wan"])],
)
def test_track_unknown_when_an_earlier_option_cannot_be_decided(facts, missing):
    spec = pack(rule("track", "track", TRACK, phase="approval"))
    verdict = one(spec, facts)
    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.data["missing_facts"] == missing


def test_track_no_option_holds_is_not_applicable():
    body = TRACK.split("  - track: standard")[0]
    spec = pack(rule("track", "track", body, phase="approval"))
    verdict = one(spec, {"is_urgent": False, "total_investment_wan": 10})
    assert verdict.outcome is Outcome.NOT_APPLICABLE


# ---------------------------------------------------------------------------- ratio_cap

RATIO_CAP = """
fact: om_annual_request_wan
base_fact: total_investment_wan
max_ratio: 0.10
"""


@pytest.mark.parametrize(("request_wan", "outcome"), [("50", Outcome.PASS), ("50.01", Outcome.FAIL)])
def test_ratio_cap(request_wan, outcome):
    spec = pack(rule("om", "ratio_cap", RATIO_CAP, phase="om_funding"))
    verdict = one(spec, {"om_annual_request_wan": request_wan, "total_investment_wan": 500})
    assert verdict.outcome is outcome
    assert verdict.data["cap_wan"] == Decimal(50)
    assert verdict.data["value"] == Decimal(request_wan)


def test_ratio_cap_missing_facts_unknown():
    spec = pack(rule("om", "ratio_cap", RATIO_CAP, phase="om_funding"))
    verdict = one(spec, {"om_annual_request_wan": 10})
    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.data["missing_facts"] == ["total_investment_wan"]


# ---------------------------------------------------------------------------- applies_when

APPLIES = THRESHOLD.format(op="gte") + textwrap.dedent(
    """
    applies_when:
      all:
        - {fact: is_secret, op: is_false}
        - {fact: category, op: in, value: [application, infrastructure]}
    """
)


def test_applies_when_false_is_not_applicable():
    spec = pack(rule("supervision", "threshold", APPLIES, phase="construction"))
    verdict = one(spec, {"is_secret": True, "total_investment_wan": 500})
    assert verdict.outcome is Outcome.NOT_APPLICABLE
    assert verdict.data == {}
    assert verdict.message.zh == "不适用：标题supervision"
    assert verdict.message.en == "Not applicable: Title supervision"


def test_applies_when_false_decides_even_with_missing_facts():
    spec = pack(rule("supervision", "threshold", APPLIES, phase="construction"))
    assert one(spec, {"is_secret": True}).outcome is Outcome.NOT_APPLICABLE


def test_applies_when_unknown_lists_missing_facts():
    spec = pack(rule("supervision", "threshold", APPLIES, phase="construction"))
    verdict = one(spec, {"total_investment_wan": 500})
    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.data == {"missing_facts": ["category", "is_secret"]}
    assert "项目类别、涉密项目" in verdict.message.zh
    assert "category" not in verdict.message.zh and "is_secret" not in verdict.message.zh
    partly = one(spec, {"is_secret": False, "total_investment_wan": 500})
    assert partly.data == {"missing_facts": ["category"]}


def test_applies_when_true_evaluates_the_rule():
    spec = pack(rule("supervision", "threshold", APPLIES, phase="construction"))
    verdict = one(spec, {"is_secret": False, "category": "application", "total_investment_wan": 500})
    assert verdict.outcome is Outcome.REQUIRED


# ---------------------------------------------------------------------------- messages


def test_threshold_message_placeholders_in_zh_and_en():
    message = '{zh: "总投资{value}万元，达到{threshold}万元", en: "Investment {value} reaches {threshold}"}'
    body = THRESHOLD.format(op="gte") + 'pass_message: {zh: "低于{threshold}万元", en: "Below {threshold}"}\n'
    spec = pack(rule("supervision", "threshold", body, message=message))
    verdict = one(spec, {"total_investment_wan": "250.50"})
    assert verdict.message.zh == "总投资250.5万元，达到200万元"
    assert verdict.message.en == "Investment 250.5 reaches 200"
    passed = one(spec, {"total_investment_wan": 10})
    assert passed.message.zh == "低于200万元"
    assert passed.message.en == "Below 200"


def test_pass_without_pass_message_shows_title():
    spec = pack(rule("supervision", "threshold", THRESHOLD.format(op="gte")))
    verdict = one(spec, {"total_investment_wan": 10})
    assert (verdict.message.zh, verdict.message.en) == ("标题supervision", "Title supervision")


def test_required_documents_message_names_documents():
    message = '{zh: "缺少：{missing}", en: "Missing: {missing}"}'
    spec = pack(rule("docs", "required_documents", DOCS, message=message))
    verdict = one(spec, {"documents": [], "total_investment_wan": 150})
    assert verdict.message.zh == "缺少：项目建议书、可行性研究报告"
    assert verdict.message.en == "Missing: Project proposal, Feasibility study report"


def test_negative_list_message_names_hits():
    message = '{zh: "命中负面清单：{hits}", en: "On the negative list: {hits}"}'
    spec = pack(rule("negative", "negative_list", NEGATIVE, message=message))
    verdict = one(spec, {"negative_list_answers": {"duplicate": True, "no_share": True}})
    assert verdict.message.zh == "命中负面清单：（一）重复建设、（二）不共享数据"
    assert (
        verdict.message.en
        == "On the negative list: （一） Duplicate construction, （二） Does not share data"
    )


def test_deadline_message_dates_and_days_left():
    message = (
        '{zh: "应于{due_date}前申请（剩余{days_left}天）", en: "Apply by {due_date} ({days_left} days left)"}'
    )
    spec = pack(
        rule(
            "deadline",
            "deadline",
            "anchor: trial_run_start\noffset: {amount: 5, unit: working_days}",
            message=message,
        )
    )
    verdict = one(spec, {"trial_run_start": D(2026, 9, 24)}, as_of=D(2026, 9, 30))
    assert verdict.message.zh == "应于2026-10-09前申请（剩余9天）"
    assert verdict.message.en == "Apply by 2026-10-09 (9 days left)"


def test_change_and_ratio_cap_messages():
    message = (
        '{zh: "调整{ratio_percent}%超过{max_percent}%，{route}", '
        'en: "{ratio_percent}% > {max_percent}%: {route}"}'
    )
    spec = pack(
        rule(
            "tolerance",
            "change_tolerance",
            "max_ratio: 0.1\nroute_within: a\nroute_beyond: b",
            message=message,
        )
    )
    verdict = one(spec, {"approved_estimate_wan": 800, "adjustment_wan": 100})
    assert verdict.message.zh == "调整12.5%超过10%，b"
    assert verdict.message.en == "12.5% > 10%: b"
    cap_message = '{zh: "不得超过{cap_wan}万元", en: "At most {cap_wan}"}'
    spec = pack(rule("om", "ratio_cap", RATIO_CAP, message=cap_message))
    verdict = one(spec, {"om_annual_request_wan": 70, "total_investment_wan": 600})
    assert verdict.message.zh == "不得超过60万元"
    assert verdict.message.en == "At most 60"


def test_unknown_placeholder_is_left_as_is():
    message = '{zh: "缺{nope}项", en: "{nope} and {value}"}'
    spec = pack(rule("supervision", "threshold", THRESHOLD.format(op="gte"), message=message))
    verdict = one(spec, {"total_investment_wan": 300})
    assert verdict.message.zh == "缺{nope}项"
    assert verdict.message.en == "{nope} and 300"


# ---------------------------------------------------------------------------- Verdict


def full_pack():
    return pack(
        rule("docs", "required_documents", DOCS + "blocks: [declare, resubmit]\n"),
        rule("negative", "negative_list", NEGATIVE + "blocks: [enter_library]\n"),
        rule(
            "supervision",
            "threshold",
            THRESHOLD.format(op="gte") + "effect: supervision_required\n",
            phase="construction",
        ),
        deadline("{amount: 5, unit: working_days}", done="acceptance_date"),
        rule("self_eval", "window", WINDOW, phase="evaluation"),
        rule("cloud", "condition", CONDITION, phase="review"),
        rule(
            "tolerance",
            "change_tolerance",
            "max_ratio: 0.1\nroute_within: a\nroute_beyond: b\nexclude_tender_savings: true",
            phase="change",
        ),
        rule("track", "track", TRACK, phase="approval"),
        rule("om", "ratio_cap", RATIO_CAP, phase="om_funding"),
    )


FULL_FACTS = {
    "documents": ["proposal"],
    "total_investment_wan": "1234.5",
    "negative_list_answers": {"duplicate": True},
    "trial_run_start": "2026-09-24",
    "acceptance_date": "2026-10-12",
    "is_new_build": True,
    "deployed_on_gov_cloud": False,
    "approved_estimate_wan": 1000,
    "adjustment_wan": "123.456",
    "tender_savings_wan": "3.3",
    "is_urgent": False,
    "om_annual_request_wan": 200,
}


def test_to_dict_is_json_safe_for_every_kind():
    spec = full_pack()
    verdicts = evaluate(spec, FULL_FACTS, as_of=D(2026, 11, 1))
    assert [v.kind for v in verdicts] == [
        "required_documents",
        "negative_list",
        "threshold",
        "deadline",
        "window",
        "condition",
        "change_tolerance",
        "track",
        "ratio_cap",
    ]
    dumped = [json.loads(json.dumps(v.to_dict())) for v in verdicts]
    by_id = {d["rule_id"]: d for d in dumped}
    threshold = by_id["tl.construction.supervision"]
    assert threshold["outcome"] == "required"
    assert threshold["data"]["value"] == "1234.5"
    assert threshold["data"]["threshold"] == "200"
    assert threshold["effect"] == "supervision_required"
    deadline_ = by_id["tl.acceptance.deadline"]
    assert deadline_["data"]["due_date"] == "2026-10-09"
    assert deadline_["data"]["done_on"] == "2026-10-12"
    assert deadline_["outcome"] == "fail"
    assert by_id["tl.evaluation.self_eval"]["data"]["opens_on"] == "2027-10-12"
    change_ = by_id["tl.change.tolerance"]
    assert change_["data"]["adjustment_counted_wan"] == "120.156"
    assert change_["data"]["ratio_percent"] == "12.02"
    assert change_["data"]["max_percent"] == "10"
    assert by_id["tl.intake.docs"]["blocks"] == ["declare", "resubmit"]
    assert by_id["tl.intake.docs"]["data"]["missing"][0]["code"] == "fsr"
    assert by_id["tl.om_funding.om"]["data"]["cap_wan"] == "123.45"
    assert by_id["tl.approval.track"]["data"]["track"] == "major"
    for d in dumped:
        assert set(d) == {
            "rule_id",
            "kind",
            "phase",
            "outcome",
            "title",
            "message",
            "citation",
            "effect",
            "blocks",
            "data",
        }
        assert d["citation"]["article"] == "第十条"
        assert d["citation"]["clause"] == "（二）"
        assert d["citation"]["text"] == "测政发〔2025〕1号 第十条（二）"
        assert d["citation"]["measure"] == "测试市政务信息化项目管理办法"


def test_to_dict_of_unknown_verdict():
    spec = full_pack()
    verdicts = evaluate(spec, {}, as_of=AS_OF, rule_ids=["tl.om_funding.om"])
    result = json.loads(json.dumps(verdicts[0].to_dict()))
    assert result["outcome"] == "unknown"
    assert result["data"] == {"missing_facts": ["om_annual_request_wan", "total_investment_wan"]}


@pytest.mark.parametrize(
    ("facts", "outcome", "blocks_declare"),
    [
        ({"documents": ["proposal", "fsr"], "total_investment_wan": 150}, Outcome.PASS, False),
        ({"documents": [], "total_investment_wan": 150}, Outcome.FAIL, True),
    ],
)
def test_blocks_transition_fail_and_pass(facts, outcome, blocks_declare):
    spec = pack(rule("docs", "required_documents", DOCS + "blocks: [declare, resubmit]\n"))
    verdict = one(spec, facts)
    assert verdict.outcome is outcome
    assert verdict.blocks_transition("declare") is blocks_declare
    assert verdict.blocks_transition("resubmit") is blocks_declare
    assert verdict.blocks_transition("approve") is False  # not listed in `blocks`


def test_blocks_transition_by_outcome():
    spec = pack(
        rule("cloud", "condition", CONDITION + "blocks: [approve]\nwhen_true: required\nwhen_false: info\n")
    )
    assert one(spec, {"is_new_build": True, "deployed_on_gov_cloud": False}).blocks_transition(
        "approve"
    )  # required
    assert one(spec, {"is_new_build": True}).blocks_transition("approve")  # unknown blocks too
    assert not one(spec, {"is_new_build": False}).blocks_transition("approve")  # info
    applies = CONDITION + "blocks: [approve]\napplies_when: {fact: is_secret, op: is_false}\n"
    spec = pack(rule("cloud", "condition", applies))
    verdict = one(spec, {"is_secret": True, "is_new_build": True, "deployed_on_gov_cloud": False})
    assert verdict.outcome is Outcome.NOT_APPLICABLE
    assert not verdict.blocks_transition("approve")


def test_rules_without_blocks_block_nothing():
    spec = pack(rule("supervision", "threshold", THRESHOLD.format(op="gte")))
    verdict = one(spec, {"total_investment_wan": 500})
    assert verdict.outcome is Outcome.REQUIRED
    assert verdict.blocks == ()
    assert not verdict.blocks_transition("start_construction")


# ---------------------------------------------------------------------------- filtering


def test_evaluate_all_rules_in_pack_order():
    spec = full_pack()
    ids = [v.rule_id for v in evaluate(spec, {}, as_of=AS_OF)]
    assert ids == [r.id for r in spec.rules]
    assert len(ids) == 9


def test_evaluate_by_phases():
    spec = full_pack()
    verdicts = evaluate(spec, {}, as_of=AS_OF, phases=["intake", "change"])
    assert [v.rule_id for v in verdicts] == ["tl.intake.docs", "tl.intake.negative", "tl.change.tolerance"]
    assert {v.phase for v in verdicts} == {"intake", "change"}


def test_evaluate_by_rule_ids():
    spec = full_pack()
    verdicts = evaluate(spec, {}, as_of=AS_OF, rule_ids=("tl.approval.track", "tl.intake.docs", "tl.nope.x"))
    assert [v.rule_id for v in verdicts] == ["tl.intake.docs", "tl.approval.track"]


def test_evaluate_phases_and_rule_ids_together_intersect():
    spec = full_pack()
    verdicts = evaluate(
        spec, {}, as_of=AS_OF, phases=["intake"], rule_ids=["tl.intake.docs", "tl.approval.track"]
    )
    assert [v.rule_id for v in verdicts] == ["tl.intake.docs"]
    assert evaluate(spec, {}, as_of=AS_OF, phases=[]) == []


def test_evaluate_rejects_bad_facts():
    spec = full_pack()
    with pytest.raises(FactError) as caught:
        evaluate(spec, {"total_investment_wan": "lots", "bogus": 1}, as_of=AS_OF)
    assert {p["fact"] for p in caught.value.problems} == {"total_investment_wan", "bogus"}


# ---------------------------------------------------------------------------- measure_status

LIMITED = {"effective_from": "2025-01-01", "effective_to": "2026-12-31"}


@pytest.mark.parametrize(
    ("as_of", "state", "days_left"),
    [
        (D(2024, 12, 31), "not_yet_effective", 730),
        (D(2025, 1, 1), "in_force", 729),
        (D(2026, 11, 30), "in_force", 31),
        (D(2026, 12, 1), "expiring", 30),
        (D(2026, 12, 31), "expiring", 0),
        (D(2027, 1, 1), "expired", -1),
    ],
)
def test_measure_status_states(as_of, state, days_left):
    spec = pack(rule("supervision", "threshold", THRESHOLD.format(op="gte")), **LIMITED)
    status = measure_status(spec, as_of)
    assert status["state"] == state
    assert status["flagged"] is (state != "in_force")
    assert status["days_left"] == days_left
    assert status["effective_from"] == "2025-01-01"
    assert status["effective_to"] == "2026-12-31"
    json.dumps(status)


def test_measure_status_messages():
    spec = pack(rule("supervision", "threshold", THRESHOLD.format(op="gte")), **LIMITED)
    assert measure_status(spec, D(2024, 6, 1))["message"]["zh"] == "办法尚未施行（2025-01-01起施行）"
    assert measure_status(spec, D(2026, 12, 21))["message"] == {
        "zh": "办法将于2026-12-31失效（剩余10天）",
        "en": "The measure expires on 2026-12-31 (10 days left)",
    }
    assert "2026-12-31" in measure_status(spec, D(2027, 3, 1))["message"]["en"]
    assert measure_status(spec, D(2025, 6, 1))["message"]["en"] == "The measure is in force"


def test_measure_status_warn_days():
    spec = pack(rule("supervision", "threshold", THRESHOLD.format(op="gte")), **LIMITED)
    assert measure_status(spec, D(2026, 10, 1), warn_days=91)["state"] == "expiring"  # 91 days left
    assert measure_status(spec, D(2026, 10, 1), warn_days=90)["state"] == "in_force"


def test_measure_status_open_ended():
    spec = pack(rule("supervision", "threshold", THRESHOLD.format(op="gte")))
    status = measure_status(spec, D(2099, 1, 1))
    assert status["state"] == "in_force"
    assert status["days_left"] is None
    assert status["effective_to"] is None
    assert measure_status(spec, D(2024, 12, 31))["state"] == "not_yet_effective"


# ---------------------------------------------------------------------------- documents per track

TRACKED = """
  - id: tl.approval.track
    kind: track
    phase: approval
    title: {zh: 审批路径, en: Track}
    citation: {article: 第十条}
    message: {zh: 路径, en: Track}
    options:
      - {track: urgent, name: {zh: 应急, en: Urgent}, when: {fact: is_urgent, op: is_true}, stages: [plan]}
      - {track: standard, name: {zh: 一般, en: Standard}, stages: [fsr]}
  - id: tl.approval.urgent_documents
    kind: required_documents
    phase: approval
    title: {zh: 应急材料, en: Urgent documents}
    citation: {article: 第十一条}
    message: {zh: "缺少{missing}", en: "Missing {missing}"}
    stage: approval
    track: urgent
    documents: [{code: proposal}]
"""


@pytest.mark.parametrize(
    ("facts", "outcome"),
    [
        ({"is_urgent": True, "documents": []}, Outcome.FAIL),
        ({"is_urgent": True, "documents": ["proposal"]}, Outcome.PASS),
        ({"is_urgent": False, "documents": []}, Outcome.NOT_APPLICABLE),  # another track was chosen
        ({"documents": []}, Outcome.UNKNOWN),  # the track cannot be decided yet
    ],
)
def test_documents_of_a_track_apply_only_on_that_track(facts, outcome):
    spec, _ = load_pack_text(testland_text("tl").replace("rules:\n", "rules:\n" + TRACKED.lstrip("\n"), 1))
    (verdict,) = evaluate(spec, facts, as_of=dt.date(2026, 1, 5), rule_ids=["tl.approval.urgent_documents"])
    assert verdict.outcome is outcome
    if outcome is Outcome.UNKNOWN:
        assert verdict.data["missing_facts"] == ["is_urgent"]


def test_a_document_track_no_track_rule_offers_is_a_pack_error():
    text = testland_text("tl").replace(
        "    stage: declaration\n", "    stage: declaration\n    track: nowhere\n"
    )
    with pytest.raises(PackError) as raised:
        load_pack_text(text)
    assert raised.value.problems[0]["field"] == "rules.0.track"
    assert "offered by no track rule" in raised.value.problems[0]["problem"]


# ---------------------------------------------------------------------------- deadline extension (延期)

EXTENDED = """
anchor: completion_date
offset: {amount: 6, unit: months}
done_fact: acceptance_date
extension:
  applied_fact: acceptance_delay_applied_date
  new_due_fact: acceptance_delay_new_due_date
"""
COMPLETED = {"completion_date": D(2025, 8, 15)}  # + 6 months = 2026-02-15


@pytest.mark.parametrize(
    ("facts", "as_of", "outcome", "due", "extension"),
    [
        # no application: the plain six months
        ({}, D(2026, 3, 1), Outcome.FAIL, D(2026, 2, 15), None),
        # applied on the last day, granted to 30 June: the due date moves, and it is still open
        (
            {
                "acceptance_delay_applied_date": D(2026, 2, 15),
                "acceptance_delay_new_due_date": D(2026, 6, 30),
            },
            D(2026, 3, 1),
            Outcome.REQUIRED,
            D(2026, 6, 30),
            "granted",
        ),
        # ... and accepted by the new date passes, although after the original one
        (
            {
                "acceptance_delay_applied_date": D(2026, 2, 1),
                "acceptance_delay_new_due_date": D(2026, 6, 30),
                "acceptance_date": D(2026, 6, 30),
            },
            D(2026, 12, 1),
            Outcome.PASS,
            D(2026, 6, 30),
            "granted",
        ),
        # ... but not after it
        (
            {
                "acceptance_delay_applied_date": D(2026, 2, 1),
                "acceptance_delay_new_due_date": D(2026, 6, 30),
                "acceptance_date": D(2026, 7, 1),
            },
            D(2026, 12, 1),
            Outcome.FAIL,
            D(2026, 6, 30),
            "granted",
        ),
        # applied a day late: a grant does not move the due date
        (
            {
                "acceptance_delay_applied_date": D(2026, 2, 16),
                "acceptance_delay_new_due_date": D(2026, 6, 30),
            },
            D(2026, 3, 1),
            Outcome.FAIL,
            D(2026, 2, 15),
            "applied_late",
        ),
    ],
)
def test_deadline_extension_moves_the_due_date_only_when_applied_in_time(
    facts, as_of, outcome, due, extension
):
    spec = pack(rule("acceptance", "deadline", EXTENDED, phase="acceptance"))
    verdict = one(spec, {**COMPLETED, **facts}, as_of=as_of)
    assert verdict.outcome is outcome
    assert verdict.data["due_date"] == due
    assert verdict.data["original_due_date"] == D(2026, 2, 15)
    assert verdict.data["extension"] == extension
    assert verdict.data["days_left"] == (due - as_of).days


def test_deadline_extension_pending_waits_for_the_decision():
    spec = pack(rule("acceptance", "deadline", EXTENDED, phase="acceptance"))
    pending = {**COMPLETED, "acceptance_delay_applied_date": D(2026, 2, 10)}
    # before the original due date nothing changes
    assert one(spec, pending, as_of=D(2026, 2, 12)).outcome is Outcome.REQUIRED
    # past it, the timely application is not "overdue": the approver's new date decides
    verdict = one(spec, pending, as_of=D(2026, 3, 1))
    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.data == {"missing_facts": ["acceptance_delay_new_due_date"]}
    # done on time needs no decision
    on_time = one(spec, {**pending, "acceptance_date": D(2026, 2, 14)}, as_of=D(2026, 3, 1))
    assert on_time.outcome is Outcome.PASS


def test_deadline_extension_granted_without_its_application_date_is_unknown():
    spec = pack(rule("acceptance", "deadline", EXTENDED, phase="acceptance"))
    verdict = one(spec, {**COMPLETED, "acceptance_delay_new_due_date": D(2026, 6, 30)}, as_of=D(2026, 3, 1))
    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.data == {"missing_facts": ["acceptance_delay_applied_date"]}


def test_deadline_extension_shape_is_checked():
    with pytest.raises(PackError, match="fact `is_urgent` is boolean, needs date"):
        pack(rule("r", "deadline", EXTENDED.replace("acceptance_delay_new_due_date", "is_urgent")))
    with pytest.raises(PackError, match="`extension` needs an `anchor`"):
        pack(
            rule(
                "r",
                "deadline",
                "fixed: {month: 12, day: 31}\n"
                "extension: {applied_fact: acceptance_delay_applied_date, "
                "new_due_fact: acceptance_delay_new_due_date}\n",
            )
        )


# ---------------------------------------------------------------------------- anchor: the later of dates

LATEST = """
anchor:
  latest_of:
    - {fact: review_passed_date}
    - {fact: prerequisites_complete_date}
offset: {amount: 7, unit: working_days}
done_fact: approval_date
"""


@pytest.mark.parametrize(
    ("review", "prerequisites", "anchor", "due"),
    [
        # review passed last: Thu 24 Sep + 7 working days (Mid-Autumn, National Day) = Mon 12 Oct
        (D(2026, 9, 24), D(2026, 9, 1), D(2026, 9, 24), D(2026, 10, 12)),
        # prerequisites complete last: the same clock from their date
        (D(2026, 9, 1), D(2026, 9, 24), D(2026, 9, 24), D(2026, 10, 12)),
        (D(2026, 9, 24), D(2026, 9, 24), D(2026, 9, 24), D(2026, 10, 12)),
    ],
)
def test_deadline_anchor_is_the_later_of_its_dates(review, prerequisites, anchor, due):
    spec = pack(rule("approval", "deadline", LATEST, phase="review"))
    facts = {"review_passed_date": review, "prerequisites_complete_date": prerequisites}
    verdict = one(spec, facts, as_of=D(2026, 9, 25))
    assert verdict.data["anchor_date"] == anchor
    assert verdict.data["due_date"] == due
    assert verdict.data["anchor"] == ["review_passed_date", "prerequisites_complete_date"]


def test_deadline_anchor_later_of_is_unknown_until_every_date_is_known():
    spec = pack(rule("approval", "deadline", LATEST, phase="review"))
    verdict = one(spec, {"review_passed_date": D(2026, 9, 24)}, as_of=D(2026, 9, 25))
    assert verdict.outcome is Outcome.UNKNOWN
    assert verdict.data == {"missing_facts": ["prerequisites_complete_date"]}


OPTIONAL_LATER = """
anchor:
  latest_of:
    - {fact: acceptance_date, offset: {amount: 1, unit: years}}
    - {fact: free_om_end_date, optional: true}
fixed: {month: 12, day: 31, year_offset: -1}
done_fact: om_application_date
"""


@pytest.mark.parametrize(
    ("facts", "anchor", "due"),
    [
        # accepted 2026-03-10: at least one year, to 2027-03-10; apply by the end of 2026
        ({"acceptance_date": D(2026, 3, 10)}, D(2027, 3, 10), D(2026, 12, 31)),
        # a contract date earlier than one year does not shorten it
        (
            {"acceptance_date": D(2026, 3, 10), "free_om_end_date": D(2026, 12, 31)},
            D(2027, 3, 10),
            D(2026, 12, 31),
        ),
        # a later contract date extends it
        (
            {"acceptance_date": D(2026, 3, 10), "free_om_end_date": D(2028, 3, 9)},
            D(2028, 3, 9),
            D(2027, 12, 31),
        ),
    ],
)
def test_deadline_anchor_with_offset_and_an_optional_later_date(facts, anchor, due):
    spec = pack(rule("om", "deadline", OPTIONAL_LATER, phase="om_funding"))
    verdict = one(spec, facts, as_of=D(2026, 6, 1))
    assert verdict.data["anchor_date"] == anchor
    assert verdict.data["due_date"] == due
    # the optional date alone is not enough: the first one is needed
    missing = one(spec, {"free_om_end_date": D(2028, 3, 9)}, as_of=D(2026, 6, 1))
    assert missing.data == {"missing_facts": ["acceptance_date"]}


@pytest.mark.parametrize(
    ("anchor", "words"),
    [
        ("{latest_of: []}", "at least 1 item"),
        ("{latest_of: [{fact: acceptance_date, optional: true}]}", "at least one date that is not optional"),
        ("{latest_of: [{fact: total_investment_wan}]}", "fact `total_investment_wan` is decimal, needs date"),
        ("{latest_of: [{fact: no_such_date}]}", "unknown fact `no_such_date`"),
    ],
)
def test_deadline_anchor_later_of_shape_is_checked(anchor, words):
    with pytest.raises(PackError) as raised:
        pack(rule("r", "deadline", f"anchor: {anchor}\noffset: {{amount: 1, unit: months}}\n"))
    assert words in str(raised.value)


# ---------------------------------------------------------------------------- scope exclusion

EXCLUSION = """
condition: {fact: is_secret, op: is_true}
when_true: not_applicable
when_false: pass
excludes_measure: true
"""
SECRET_MESSAGE = "{zh: 涉密项目按保密规定执行，不适用本办法, en: Secret projects follow the secrecy rules}"


def excluding_pack():
    return pack(
        rule("secret", "condition", EXCLUSION, phase="scope", message=SECRET_MESSAGE),
        rule("supervision", "threshold", THRESHOLD.format(op="gte") + "blocks: [start_construction]\n"),
        rule("negative", "negative_list", NEGATIVE + "blocks: [declare]\n"),
    )


def test_scope_exclusion_makes_every_other_rule_not_applicable_and_says_why():
    spec = excluding_pack()
    verdicts = evaluate(spec, {"is_secret": True, "total_investment_wan": 500}, as_of=AS_OF)
    assert [v.outcome for v in verdicts] == [Outcome.NOT_APPLICABLE] * 3
    scope, supervision, negative = verdicts
    assert scope.message.zh == "涉密项目按保密规定执行，不适用本办法"
    for verdict in (supervision, negative):
        assert verdict.data == {"excluded_by": "tl.scope.secret"}
        assert verdict.message.zh == "涉密项目按保密规定执行，不适用本办法（第十条（二））"
        assert verdict.message.en == "Secret projects follow the secrecy rules (Article 第十条（二）)"
        assert not verdict.blocks_transition("declare")
        assert not verdict.blocks_transition("start_construction")
    # asked for one rule only, the exclusion still holds
    (only,) = evaluate(spec, {"is_secret": True}, as_of=AS_OF, rule_ids=["tl.intake.negative"])
    assert only.outcome is Outcome.NOT_APPLICABLE


@pytest.mark.parametrize("facts", [{"is_secret": False}, {}])
def test_scope_exclusion_not_holding_or_unknown_leaves_the_rules_alone(facts):
    verdicts = evaluate(excluding_pack(), {**facts, "total_investment_wan": 500}, as_of=AS_OF)
    assert [v.outcome for v in verdicts[1:]] == [Outcome.REQUIRED, Outcome.REQUIRED]


def test_scope_exclusion_needs_when_true_not_applicable():
    with pytest.raises(PackError, match="`excludes_measure` needs `when_true: not_applicable`"):
        pack(rule("secret", "condition", EXCLUSION.replace("when_true: not_applicable", "when_true: fail")))


# ---------------------------------------------------------------------------- honest messages


def test_negative_list_unanswered_names_the_unanswered_items_not_an_empty_list():
    message = '{zh: "不符合申报条件：{hits}", en: "Conditions not met: {hits}"}'
    spec = pack(rule("negative", "negative_list", NEGATIVE, message=message))
    verdict = one(spec, {"negative_list_answers": {"duplicate": False}})
    assert verdict.outcome is Outcome.REQUIRED
    assert "[]" not in verdict.message.zh and "[]" not in verdict.message.en
    assert "不符合" not in verdict.message.zh
    assert verdict.message.zh == "标题negative：尚未回答（二）不共享数据"
    assert verdict.message.en == "Title negative: not answered yet: （二） Does not share data"
    assert [item["code"] for item in verdict.data["unanswered_items"]] == ["no_share"]


def test_an_empty_list_never_renders_as_brackets():
    body = DOCS + 'pass_message: {zh: "齐全（缺少：{missing}）", en: "Complete (missing: {missing})"}\n'
    spec = pack(rule("docs", "required_documents", body))
    verdict = one(spec, {"documents": ["proposal", "fsr"], "total_investment_wan": 150})
    assert (verdict.message.zh, verdict.message.en) == ("齐全（缺少：无）", "Complete (missing: none)")


def test_window_not_yet_open_does_not_say_it_was_done():
    body = WINDOW + "pass_message: {zh: 已在规定期限内开展自评价, en: Self-evaluation done in the window}\n"
    spec = pack(rule("self_eval", "window", body, phase="evaluation"))
    verdict = one(spec, {"acceptance_date": D(2025, 3, 15)}, as_of=D(2026, 1, 1))
    assert verdict.outcome is Outcome.INFO
    assert "已" not in verdict.message.zh and "done" not in verdict.message.en
    assert verdict.message.zh == "标题self_eval：尚未开始，2026-03-15起至2027-03-15止"
    assert verdict.message.en == "Title self_eval: not open yet; from 2026-03-15 to 2027-03-15"


def test_condition_info_on_the_unsatisfied_side_shows_the_message():
    body = (
        "condition: {fact: deployed_on_gov_cloud, op: is_false}\nwhen_true: info\n"
        "pass_message: {zh: 已部署, en: Deployed}\n"
    )
    spec = pack(rule("cloud", "condition", body))
    assert one(spec, {"deployed_on_gov_cloud": False}).message.zh == "未满足"
    assert one(spec, {"deployed_on_gov_cloud": True}).message.zh == "已部署"
