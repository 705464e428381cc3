"""The diff of two versions of a pack: rules added, removed and changed field by field, in Chinese."""

from __future__ import annotations

import copy

import pytest
from django.test import Client
from django.utils import timezone

from jurisdictions.editor import services
from jurisdictions.editor.diff import pack_diff
from jurisdictions.models import RulePack
from tests.conftest import client_for

SUPERVISION = "baotou.construction.supervision"
TOWNSHIP = "baotou.intake.township"


@pytest.fixture
def baotou(pack_tenant):
    return pack_tenant("baotou")


def _admin(tenant):
    return tenant.users["jurisdiction_admin"]


def _rule(content, rule_id):
    return next(rule for rule in content["rules"] if rule["id"] == rule_id)


def _content(tenant) -> dict:
    return RulePack.objects.get(jurisdiction=tenant.jurisdiction, version=1).content


def lowered(tenant, threshold=100, note="降低监理门槛"):
    """Version 2: the supervision threshold lowered, published from a draft today."""
    admin = _admin(tenant)
    draft = services.draft_open(actor=admin, code="baotou")
    rule = {**_rule(draft.content, SUPERVISION), "value": threshold}
    draft = services.draft_rule_save(
        actor=admin, draft_id=draft.pk, revision=draft.revision, rule=rule, rule_id=SUPERVISION
    )
    return services.draft_publish(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        effective_from=timezone.localdate(),
        note=note,
    )


def test_a_changed_threshold_is_one_changed_field_with_its_values_in_words(baotou):
    old = _content(baotou)
    new = copy.deepcopy(old)
    _rule(new, SUPERVISION)["value"] = 100

    diff = pack_diff(old, new)

    assert diff.added == () and diff.removed == () and diff.sections == ()
    [change] = diff.changed_rules
    assert (change.title, change.article) == ("监理制", "第十九条")
    [field] = change.changes
    assert (field.path, field.label) == ("value", "阈值")
    assert (field.before, field.after) == ("200 万元", "100 万元")
    assert field.text == "阈值：200 万元 → 100 万元"


def test_rules_added_removed_and_switched_off_are_told_apart(baotou):
    old = _content(baotou)
    new = copy.deepcopy(old)
    township = _rule(new, TOWNSHIP)
    new["rules"].remove(township)
    new["rules"].append(
        {**township, "id": "baotou.intake.township_again", "title": {"zh": "新规则", "en": "New"}}
    )
    _rule(new, SUPERVISION)["switched_off"] = {"zh": "暂停执行", "en": "Paused"}
    _rule(new, SUPERVISION)["citation"]["quote"] = "新的条文"

    diff = pack_diff(old, new)

    assert [r.title for r in diff.added] == ["新规则"]
    assert [r.title for r in diff.removed] == ["苏木乡镇（街道）不得独立建设"]
    assert diff.removed[0].article == "第二十八条"
    [change] = diff.changed_rules
    assert change.switched == "off"
    labels = {field.path: field for field in change.changes}
    assert labels["switched_off"].label == "已停用" and labels["switched_off"].after == "暂停执行"
    assert labels["citation.quote"].label == "引用条款 · 条文原文"
    assert labels["citation.quote"].after == "新的条文"


def test_the_other_sections_are_compared_with_their_chinese_labels(baotou):
    old = _content(baotou)
    new = copy.deepcopy(old)
    new["measure"]["effective_to"] = "2028-11-30"
    new["edition"] = {"effective_from": "2026-12-01", "note": "延长有效期"}
    new["documents"].append({"code": "audit_report", "name": {"zh": "审计报告", "en": "Audit report"}})
    new["categories"] = new["categories"][:-1]
    new["review"]["steps"][0]["taker"]["role"] = "expert"
    items = next(rule for rule in new["rules"] if rule["kind"] == "negative_list" and len(rule["items"]) == 7)
    items["items"] = items["items"][:-1]

    diff = pack_diff(old, new)

    sections = {section.section: section for section in diff.sections}
    assert set(sections) == {"measure", "edition", "documents", "categories", "review"}
    assert sections["measure"].label == "办法"
    [to] = sections["measure"].changes
    assert (to.label, to.before, to.after) == ("失效日期", "2026-11-30", "2028-11-30")
    edition = {field.label: field.after for field in sections["edition"].changes}
    assert edition == {"版本施行日期": "2026-12-01", "修订说明": "延长有效期"}
    [document] = sections["documents"].changes
    assert (document.before, document.after) == ("（无）", "审计报告")
    [category] = sections["categories"].changes
    assert category.after == "（无）" and category.before == "跨部门共建共享的政务信息化项目"
    [role] = sections["review"].changes
    assert role.label.endswith("角色") and (role.before, role.after) == ("审核人员", "评审专家")
    [negative] = diff.changed_rules
    [item] = negative.changes
    assert item.label == "清单项" and item.before.startswith("（七）") and item.after == "（无）"


def test_the_same_content_is_no_change(baotou):
    old = _content(baotou)
    assert pack_diff(old, copy.deepcopy(old)).empty


def test_the_page_compares_the_previous_and_the_latest_by_default(baotou):
    lowered(baotou)
    client = Client()
    client.force_login(baotou.users["reviewer"])  # a member, not an admin, may read it

    response = client.get("/rules/baotou/diff/")

    assert response.status_code == 200
    assert (response.context["old"].version, response.context["new"].version) == (1, 2)
    text = response.content.decode()
    assert "监理制" in text and "第十九条" in text
    assert "阈值" in text and "200 万元" in text and "100 万元" in text
    assert "降低监理门槛" in text  # the change note: the edition of version 2
    assert SUPERVISION not in text


def test_the_page_takes_the_versions_asked_for_and_refuses_one_that_does_not_exist(baotou):
    lowered(baotou)
    client = Client()
    client.force_login(baotou.users["department_staff"])
    same = client.get("/rules/baotou/diff/?a=2&b=2")
    assert same.status_code == 200 and same.context["diff"].empty
    assert client.get("/rules/baotou/diff/?a=7&b=2").status_code == 404
    assert client.get("/rules/baotou/diff/?a=x").status_code == 404


def test_another_tenant_gets_404(baotou, pack_tenant):
    lowered(baotou)
    other = pack_tenant("ordos")
    client = Client()
    client.force_login(_admin(other))
    assert client.get("/rules/baotou/diff/").status_code == 404
    assert Client().get("/rules/baotou/diff/").status_code == 302  # to sign in
    assert client_for(_admin(other)).get("/api/v1/jurisdictions/baotou/rulepacks/diff/").status_code == 404


def test_the_api_answers_the_diff_and_names_a_bad_parameter(baotou):
    lowered(baotou)
    client = client_for(baotou.users["auditor"])

    body = client.get("/api/v1/jurisdictions/baotou/rulepacks/diff/").json()

    assert (body["a"], body["b"]) == (1, 2)
    [change] = body["changed_rules"]
    assert change["rule_id"] == SUPERVISION
    assert change["changes"] == [
        {"path": "value", "label": "阈值", "before": "200 万元", "after": "100 万元"}
    ]
    missing = client.get("/api/v1/jurisdictions/baotou/rulepacks/diff/?a=9")
    assert missing.status_code == 400 and "a" in missing.json()["errors"]
    wrong = client.get("/api/v1/jurisdictions/baotou/rulepacks/diff/?b=abc")
    assert wrong.status_code == 400 and "b" in wrong.json()["errors"]


def test_a_version_no_pack_can_have_is_refused_not_a_server_error(baotou):
    client = Client()
    client.force_login(baotou.users["reviewer"])
    assert client.get(f"/rules/baotou/diff/?a={2**70}").status_code == 404
    api = client_for(baotou.users["reviewer"])
    assert api.get(f"/api/v1/jurisdictions/baotou/rulepacks/diff/?a={2**70}").status_code == 400
    assert api.get("/api/v1/jurisdictions/baotou/rulepacks/diff/?a=").status_code == 200  # empty: the default
