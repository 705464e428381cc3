"""Who reviews and who decides, per measure: the packs' review sections against the articles that name them.

One table row per body or stage the measure names (issue 9 §1, §3, §4); a row fails when the pack
forgets a body, gives it to the wrong role, cites the wrong article, or lists a stage a track
does not have. And the schema refuses a review section that names what the pack does not have.
"""

from __future__ import annotations

import pytest
import yaml

from jurisdictions.packfiles import shipped_pack
from jurisdictions.rules.errors import PackError
from jurisdictions.rules.schema import TrackRule, validate_pack

# (pack, step code, before, taker role, taker department, article, ways)
STEPS = [
    ("hongshan", "pre_review", "enter_library", "reviewer", "mengdong_cloud", "第九条", ("decision",)),
    ("hongshan", "expert_review", "enter_library", "reviewer", None, "第九条", ("experts", "third_party")),
    ("baotou", "expert_review", "approve", "reviewer", None, "第十一条", ("experts", "third_party")),
    ("nanchong", "joint_review", "plan", "reviewer", None, "第十五条", ("decision",)),
    ("laizhou", "joint_review", "plan", "reviewer", None, "第九条", ("decision",)),
    ("laizhou", "finance_review", "plan", "finance_officer", None, "第六条", ("decision",)),
    ("laizhou", "development_review", "plan", "reviewer", "development_reform", "第九条", ("decision",)),
    ("laizhou", "cost_evaluation", "plan", "reviewer", None, "第十条", ("third_party",)),
    ("ordos", "fsr_joint_review", "approve", "reviewer", None, "第八条", ("decision",)),
    ("ordos", "design_pricing_review", "approve", "reviewer", None, "第八条", ("decision",)),
    ("ordos", "finance_review", "approve", "finance_officer", None, "第八条", ("decision",)),
]
# (pack, opinion code, giver's name as the measure says it, role, article)
OPINIONS = [
    ("hongshan", "crypto", "区委保密机要局（区国家密码管理局）", "security_reviewer", "第十一条"),
    ("hongshan", "protection_level", "区公安分局", "security_reviewer", "第十一条"),
    ("baotou", "cyber", "市委网信办", "security_reviewer", "第四条"),
    ("baotou", "data_security", "市委国安办", "security_reviewer", "第四条"),
    ("baotou", "crypto", "市委保密机要局", "security_reviewer", "第四条"),
    ("baotou", "funding", "市财政局", "finance_officer", "第四条"),
    ("baotou", "protection_level", "市公安局", "security_reviewer", "第四条"),
    ("nanchong", "cyber", "市委网信办", "security_reviewer", "第二十条"),
    ("nanchong", "secrecy", "市国家保密局", "security_reviewer", "第二十条"),
    ("nanchong", "crypto", "市密码管理局", "security_reviewer", "第二十条"),
    ("nanchong", "technical", "市政府办公室", "reviewer", "第二十条"),
    ("nanchong", "industry", "市经济和信息化局", "reviewer", "第二十条"),
    ("nanchong", "public_security", "市公安局", "security_reviewer", "第二十条"),
    ("nanchong", "funding", "市财政局", "finance_officer", "第二十条"),
]
# (pack, track, the stages decided in order, the stages that set the investment baseline)
TRACKS = [
    ("hongshan", "fsr_and_design", ["fsr", "preliminary_design"], {"fsr", "preliminary_design"}),
    ("hongshan", "implementation_plan", ["implementation_plan"], {"implementation_plan"}),
    (
        "baotou",
        "standard",
        ["proposal", "fsr", "preliminary_design", "investment_estimate"],
        {"fsr", "investment_estimate"},
    ),
    ("baotou", "filing", ["filing"], {"filing"}),
    ("nanchong", "merged", ["implementation_plan"], {"implementation_plan"}),
    ("nanchong", "standard", ["fsr", "preliminary_design"], {"fsr", "preliminary_design"}),
    ("laizhou", "urgent", ["fsr_design_estimate"], {"fsr_design_estimate"}),
    ("laizhou", "standard", ["proposal", "fsr", "preliminary_design"], {"fsr", "preliminary_design"}),
    ("ordos", "urgent_direct", ["fsr_design"], {"fsr_design"}),
    ("ordos", "standard", ["proposal", "fsr", "preliminary_design"], {"fsr", "preliminary_design"}),
]


@pytest.mark.parametrize(("code", "step", "before", "role", "department", "article", "ways"), STEPS)
def test_each_review_step_is_taken_by_the_body_the_article_names(
    code, step, before, role, department, article, ways
):
    spec, _ = shipped_pack(code)
    found = next(s for s in spec.review.steps if s.code == step)
    assert (found.before, found.taker.role, found.taker.department) == (before, role, department)
    assert found.citation.article == article
    assert found.ways == ways


def test_hongshans_expert_review_is_organised_only_when_the_bureau_decides():
    spec, _ = shipped_pack("hongshan")
    steps = {s.code: s for s in spec.review.steps}
    assert steps["expert_review"].optional and not steps["pre_review"].optional


@pytest.mark.parametrize(("code", "opinion", "giver", "role", "article"), OPINIONS)
def test_each_department_opinion_goes_to_the_body_the_article_names(code, opinion, giver, role, article):
    spec, _ = shipped_pack(code)
    found = next(o for o in spec.review.opinions.items if o.code == opinion)
    assert (found.giver.name.zh, found.giver.role) == (giver, role)
    assert found.citation.article == article
    assert spec.review.opinions.before == "approve"


@pytest.mark.parametrize("code", ["laizhou", "ordos"])
def test_measures_without_opinions_before_approval_ask_for_none(code):
    assert shipped_pack(code)[0].review.opinions is None


@pytest.mark.parametrize(("code", "track", "stages", "amounts"), TRACKS)
def test_each_track_has_its_stages_named_and_cited(code, track, stages, amounts):
    spec, _ = shipped_pack(code)
    approval = spec.review.approval
    rule = spec.rule(approval.track_rule)
    assert isinstance(rule, TrackRule)
    option = next(o for o in rule.options if o.track == track)
    assert list(option.stages) == stages
    assert {s for s in stages if approval.stage(s).amount} == amounts
    assert all(approval.stage(s).citation.article.startswith("第") for s in stages)


def test_baotous_filing_track_files_instead_of_approving():
    approval = shipped_pack("baotou")[0].review.approval
    assert approval.stage("filing").decision == "filing"
    assert approval.stage("filing").citation.article == "第十二条"
    assert approval.stage("filing").fields


def test_hongshans_decision_clock_is_the_seven_working_day_rule():
    approval = shipped_pack("hongshan")[0].review.approval
    assert approval.clock_rule == "hongshan.review.approval_deadline"


def test_nanchongs_design_above_the_fsr_is_caught_by_its_article():
    ceiling = shipped_pack("nanchong")[0].review.approval.ceilings[0]
    assert (ceiling.stage, ceiling.over, ceiling.fact, ceiling.citation.article) == (
        "preliminary_design",
        "fsr",
        "design_exceeds_fsr",
        "第二十三条",
    )


def _with_review(review: dict) -> dict:
    _, content = shipped_pack("hongshan")
    data = yaml.safe_load(yaml.safe_dump(content, allow_unicode=True))
    data["review"] = review
    return data


@pytest.mark.parametrize(
    ("review", "problem"),
    [
        ({"approval": {"track_rule": "hongshan.nope"}}, "is not a track rule"),
        ({"approval": {"stages": []}}, "review.approval.stages"),
        ({"approval": {"clock_rule": "hongshan.approval.track"}}, "is not a deadline rule"),
        ({"steps": [{"code": "x", "before": "nope"}]}, "before"),
    ],
)
def test_a_review_section_naming_what_the_pack_lacks_is_refused(review, problem):
    base = shipped_pack("hongshan")[1]["review"]
    merged = {**base, **review}
    if "approval" in review:
        merged["approval"] = {**base["approval"], **review["approval"]}
    if "steps" in review:
        merged["steps"] = [{**base["steps"][0], **review["steps"][0]}]
    with pytest.raises(PackError) as raised:
        validate_pack(_with_review(merged))
    assert problem in str(raised.value)


def test_a_track_stage_without_an_entry_is_refused():
    review = shipped_pack("hongshan")[1]["review"]
    stages = [s for s in review["approval"]["stages"] if s["code"] != "preliminary_design"]
    with pytest.raises(PackError) as raised:
        validate_pack(_with_review({**review, "approval": {**review["approval"], "stages": stages}}))
    assert "preliminary_design" in str(raised.value)
