"""规则推演 (issue 13 §4): change a project's facts, or pick another pack version or day, and see the
verdicts and blocked transitions that would result; nothing is stored."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jurisdictions.models import Role, RulePack
from jurisdictions.rules.facts import FACTS
from jurisdictions.rules.schema import load_pack_text
from jurisdictions.services import publish_rule_pack
from projects.models import AuditEvent, Project
from tests.conftest import client_for, make_project, testland_text

pytestmark = pytest.mark.django_db
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _url(project) -> str:
    return reverse("projects:what-if", args=[project.pk])


def _visible_text(html: str) -> str:
    """What a person reads: the page without its tags, scripts and attribute values."""
    return re.sub(r"<[^>]*>", " ", html)


def _form_data(body: str) -> dict[str, object]:
    """The form as the page filled it in (inputs, selected options, ticked boxes): what a browser posts."""
    data: dict[str, object] = {}
    for tag in re.findall(r"<input[^>]*>", body):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data.setdefault(name.group(1), []).append(value.group(1))
            continue
        data[name.group(1)] = value.group(1) if value else ""
    for name, options in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        data[name] = chosen.group(1) if chosen else ""
    return data


def _section(body: str, css: str) -> str:
    return body.split(f'class="{css}')[1].split("</table>")[0]


@pytest.fixture
def project(alpha):
    return make_project(alpha)


def test_the_page_shows_the_facts_as_typed_inputs_with_chinese_labels(alpha, project):
    body = _browser(alpha.users[Role.DEPARTMENT_STAFF]).get(_url(project)).content.decode()
    assert "<h1>规则推演" in body
    # an amount, yes/no, a date, a choice of words, the pack's documents as boxes, the negative list
    assert 'name="fact_total_investment_wan" value="150.00"' in body
    assert '<select name="fact_is_upgrade"' in body and ">不清楚</option>" in body
    assert 'type="date" name="fact_trial_run_start"' in body
    assert re.search(r'<option value="application"[^>]*selected>应用系统类</option>', body)
    assert re.search(r'type="checkbox" name="fact_documents" value="proposal"[^>]*checked', body)
    assert "项目建议书" in body and "可行性研究报告" in body
    assert re.search(r'<select name="fact_negative_list_answers__duplicate"', body)
    assert "负面清单答复：（一）重复建设" in body
    # the facts the rules read lead, by phase; the rest behind 「显示全部」
    assert "<legend>申报与入库</legend>" in body  # RULE_PHASES' intake, in Chinese
    assert "<summary>显示全部（另有" in body
    assert "总投资（万元）" in body and "试运行开始日期" in body
    # the versions, the pinned one chosen (a draft: the one in force on the day), today
    assert "第 1 版（自 2025-01-01 起）" in body
    assert f'name="as_of" value="{timezone.localdate():%Y-%m-%d}"' in body
    text = _visible_text(body)
    assert not [name for name in FACTS if re.search(rf"\b{name}\b", text)], "no fact code on the page"
    assert not re.search(r"\b(alpha|testland)\.", text), "no rule id on the page"


def test_a_post_shows_the_verdicts_that_would_differ_and_the_steps_blocked(alpha, project):
    browser = _browser(alpha.users[Role.DEPARTMENT_STAFF])
    data = _form_data(browser.get(_url(project)).content.decode())
    data["fact_documents"] = ["fsr"]  # the proposal taken away
    data["fact_total_investment_wan"] = "250"
    response = browser.post(_url(project), data)
    body = response.content.decode()
    assert response.status_code == 200, body
    assert 'id="whatif-result"' in body
    changed = body.split('class="whatif-changed-facts">')[1].split("</ul>")[0]
    assert (
        "报送文件" in changed and "项目建议书、可行性研究报告 → 可行性研究报告" in changed
    )  # the pack's order
    assert "总投资（万元）" in changed and "150.00 → 250" in changed
    steps = _section(body, "list stack whatif-transitions")
    declare = [row for row in steps.split("<tr") if "申报" in row and "当前可办理" in row]
    assert declare and "新增受阻" in declare[0] and "申报材料" in declare[0] and "第八条" in declare[0]
    rules = _section(body, "list stack whatif-differences")
    assert "申报材料" in rules and "不符合" in rules  # 缺少申报材料 → not met
    assert "监理" in rules  # 250 万元 reaches the supervision threshold
    assert "缺少申报材料：项目建议书" in rules


def test_an_unchanged_replay_differs_in_nothing(alpha, project):
    browser = _browser(alpha.users[Role.REVIEWER])
    data = _form_data(browser.get(_url(project)).content.decode())
    body = browser.post(_url(project), data).content.decode()
    assert "未改动任何事实。" in body
    assert "没有规则的判断结果发生变化。" in body


def test_a_post_stores_nothing(alpha, project):
    browser = _browser(alpha.users[Role.DEPARTMENT_STAFF])
    data = _form_data(browser.get(_url(project)).content.decode())
    data["fact_documents"] = []
    data["fact_is_upgrade"] = "yes"
    before = (Project.objects.get(pk=project.pk), AuditEvent.objects.count(), RulePack.objects.count())
    with CaptureQueriesContext(connection) as captured:
        response = browser.post(_url(project), data)
    assert response.status_code == 200
    writes = [q["sql"] for q in captured.captured_queries if WRITES.match(q["sql"])]
    assert [sql for sql in writes if "django_session" not in sql] == []  # the session's expiry is sign-in's
    after = Project.objects.get(pk=project.pk)
    assert after.facts == before[0].facts and after.version == before[0].version
    assert (AuditEvent.objects.count(), RulePack.objects.count()) == before[1:]


def test_an_invalid_fact_is_a_400_naming_it_in_chinese(alpha, project):
    browser = _browser(alpha.users[Role.DEPARTMENT_STAFF])
    data = _form_data(browser.get(_url(project)).content.decode())
    data["fact_trial_run_start"] = "1850-01-01"  # a date, but outside what the rules compute with
    response = browser.post(_url(project), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "以下事实无效：试运行开始日期" in body
    assert "请输入 1900-01-01 至 2200-12-31 之间的日期。" in body
    assert 'id="whatif-result"' not in body
    data["fact_trial_run_start"] = "不是日期"
    assert browser.post(_url(project), data).status_code == 400


def test_another_version_and_day_are_replayed(alpha, project):
    """Version 2 lowers the supervision threshold to 100: the draft is judged by it today (150 万元 needs a
    supervisor); replayed on version 1, it does not."""
    text = testland_text("alpha").replace("value: 200", "value: 100")
    spec, content = load_pack_text(text, source="test-v2")
    publish_rule_pack(spec, content, source="test-v2")
    browser = _browser(alpha.users[Role.REVIEWER])
    body = browser.get(_url(project)).content.decode()
    assert "第 2 版（自 2025-01-01 起）" in body and "第 1 版（自 2025-01-01 起）" in body
    data = _form_data(body)
    data.update(version="1", as_of="2026-03-02")
    first = browser.post(_url(project), data).content.decode()
    assert "按第 1 版（自 2025-01-01 起），以 2026-03-02 为准推演。" in first
    rules = _section(first, "list stack whatif-differences")
    assert "监理" in rules  # needed under version 2 (today), not under version 1
    data.update(version="2")
    second = browser.post(_url(project), data).content.decode()
    assert "按第 2 版（自 2025-01-01 起），以 2026-03-02 为准推演。" in second
    assert "没有规则的判断结果发生变化。" in second


def test_the_api_replays_and_names_what_differs(alpha, project):
    client = client_for(alpha.users[Role.AUDITOR])
    url = f"/api/v1/projects/{project.pk}/what-if/"
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            url, {"facts": {"documents": ["fsr"], "trial_run_start": "2026-03-02"}}, format="json"
        )
    assert response.status_code == 200, response.content
    assert [q["sql"] for q in captured.captured_queries if WRITES.match(q["sql"])] == []
    assert AuditEvent.objects.count() == before
    body = response.json()
    assert body["rule_pack"]["version"] == 1 and body["current_rule_pack"]["version"] == 1
    assert body["changed_facts"] == ["documents", "trial_run_start"]
    assert body["facts"]["documents"] == ["fsr"] and body["facts"]["total_investment_wan"] == "150.00"
    assert body["blocked_transitions"] == {
        "declare": ["alpha.intake.declaration_documents"],
        "resubmit": ["alpha.intake.declaration_documents"],
    }
    assert body["current_blocked_transitions"] == {}
    declare = next(row for row in body["transitions"] if row["transition"] == "declare")
    assert declare == {
        "transition": "declare",
        "label": "申报",
        "before": False,
        "after": True,
        "change": "blocked",
    }
    differences = {row["rule_id"]: (row["before"], row["after"]) for row in body["differences"]}
    assert differences["alpha.intake.declaration_documents"] == ("pass", "fail")
    assert differences["alpha.acceptance.apply_deadline"] == ("unknown", "fail")  # due 10 working days on
    # null makes a fact unknown
    unknown = client.post(url, {"facts": {"documents": None}}, format="json").json()
    assert "documents" not in unknown["facts"]


def test_the_api_refuses_an_invalid_fact_naming_its_label_and_an_unknown_version(alpha, project):
    client = client_for(alpha.users[Role.DEPARTMENT_STAFF])
    url = f"/api/v1/projects/{project.pk}/what-if/"
    response = client.post(
        url, {"facts": {"trial_run_start": "1850-01-01", "is_upgrade": "yes"}}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert "试运行开始日期" in body["detail"] and "升级改造项目" in body["detail"]
    labels = {problem["fact"]: problem["label"]["zh"] for problem in body["errors"]["facts"]}
    assert labels == {"trial_run_start": "试运行开始日期", "is_upgrade": "升级改造项目"}
    assert client.post(url, {"facts": {"no_such_fact": 1}}, format="json").status_code == 400
    missing = client.post(url, {"version": 9}, format="json")
    assert missing.status_code == 400 and "version" in missing.json()["errors"]
    assert client.post(url, {"as_of": "1850-01-01"}, format="json").status_code == 400
    assert client.post(url, {"facts": [1]}, format="json").status_code == 400


def test_whoever_sees_the_project_may_replay_it_and_nobody_else(alpha, beta, project):
    for role in (Role.DEPARTMENT_STAFF, Role.REVIEWER, Role.JURISDICTION_ADMIN, Role.AUDITOR):
        assert _browser(alpha.users[role]).get(_url(project)).status_code == 200, role
    assert _browser(alpha.other_staff).get(_url(project)).status_code == 404  # another department's draft
    assert _browser(alpha.users[Role.EXPERT]).get(_url(project)).status_code == 404  # not assigned
    for role in (Role.DEPARTMENT_STAFF, Role.REVIEWER, Role.JURISDICTION_ADMIN):
        outsider = _browser(beta.users[role])
        assert outsider.get(_url(project)).status_code == 404
        assert outsider.post(_url(project), {"as_of": "2026-01-01"}).status_code == 404
    api = client_for(beta.users[Role.REVIEWER])
    assert api.post(f"/api/v1/projects/{project.pk}/what-if/", {}, format="json").status_code == 404


def test_the_project_page_links_to_the_replay(alpha, project):
    body = (
        _browser(alpha.users[Role.REVIEWER])
        .get(reverse("projects:detail", args=[project.pk]))
        .content.decode()
    )
    assert f'href="{_url(project)}">规则推演</a>' in body


def test_the_page_costs_the_same_whatever_the_project_s_history(
    alpha, project, django_assert_max_num_queries
):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    browser = _browser(staff)
    browser.get(_url(project))
    with CaptureQueriesContext(connection) as few:
        browser.get(_url(project))
    count = len(few.captured_queries)  # read now: each request resets the connection's query log
    assert count <= 12
    for i in range(30):
        AuditEvent.objects.record(project, staff, "update", comment=f"第{i}次修改")
    with django_assert_max_num_queries(count):
        assert browser.get(_url(project)).status_code == 200
    data = _form_data(browser.get(_url(project)).content.decode())
    with django_assert_max_num_queries(count + 3):  # the working calendar, the steps' roles and filers
        assert browser.post(_url(project), data).status_code == 200


def test_a_declared_project_replays_its_pinned_version_by_default(alpha, project):
    from projects.services import transition_project

    transition_project(actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare")
    text = testland_text("alpha").replace("value: 200", "value: 100")
    publish_rule_pack(*load_pack_text(text, source="test-v2"), source="test-v2")
    body = _browser(alpha.users[Role.REVIEWER]).get(_url(project)).content.decode()
    assert re.search(
        r'<option value="1" selected>第 1 版（自 2025-01-01 起）（本项目锁定的版本）</option>', body
    )
    api = client_for(alpha.users[Role.REVIEWER])
    answer = api.post(f"/api/v1/projects/{project.pk}/what-if/", {"version": 2}, format="json").json()
    assert answer["rule_pack"]["version"] == 2 and answer["current_rule_pack"]["version"] == 1
    assert [row["rule_id"] for row in answer["differences"]] == ["alpha.construction.supervision"]


def test_a_day_moves_the_deadlines(alpha, project):
    api = client_for(alpha.users[Role.REVIEWER])
    url = f"/api/v1/projects/{project.pk}/what-if/"
    facts = {"trial_run_start": "2026-03-02"}
    early = api.post(url, {"facts": facts, "as_of": "2026-03-03"}, format="json").json()
    late = api.post(url, {"facts": facts, "as_of": "2026-06-01"}, format="json").json()
    outcome = {
        answer["as_of"]: next(
            v for v in answer["verdicts"] if v["rule_id"] == "alpha.acceptance.apply_deadline"
        )
        for answer in (early, late)
    }
    assert outcome["2026-03-03"]["outcome"] == "required" and outcome["2026-06-01"]["outcome"] == "fail"
    assert dt.date.fromisoformat(early["as_of"]) < dt.date.fromisoformat(late["as_of"])


@pytest.mark.parametrize(
    "junk",
    [
        {"version": "9"},
        {"version": "x" * 50},
        {"as_of": "99999-99-99"},
        {"as_of": "1850-01-01"},
        {"fact_total_investment_wan": "1e999"},
        {"fact_total_investment_wan": "10000000000000"},
        {"fact_documents": ["no_such_document"]},
        {"fact_negative_list_answers__duplicate": "maybe"},
        {"fact_category": "\x00"},
        {"fact_declarer_role": "x" * 500},
    ],
)
def test_no_input_is_a_server_error(alpha, project, junk):
    browser = _browser(alpha.users[Role.DEPARTMENT_STAFF])
    data = {**_form_data(browser.get(_url(project)).content.decode()), **junk}
    response = browser.post(_url(project), data)
    assert response.status_code == 400, junk
    assert 'id="whatif-result"' not in response.content.decode()
