"""The editor API: each endpoint's happy path and its 400 / 403 / 404 / 409; the walk's draft."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jurisdictions.editor import services
from jurisdictions.models import DraftStatus, RulePack, RulePackDraft
from jurisdictions.rules.schema import load_pack_text
from tests.conftest import client_for

SUPERVISION = "baotou.construction.supervision"


def draft_for_walk(name: str, tenant) -> dict:
    """The permission walk (tests/projects/test_permissions.py): an open draft of the tenant, ready for
    the endpoint `name` to succeed for its admin; the body's `{revision}` and `{rule}` to send."""
    admin = tenant.users["jurisdiction_admin"]
    code = tenant.jurisdiction.code
    draft = services.draft_open(actor=admin, code=code)
    supervision = next(
        rule for rule in draft.content["rules"] if rule["id"] == f"{code}.construction.supervision"
    )
    if name == "api:rulepack-draft-publish":  # something to publish
        draft = services.draft_rule_save(
            actor=admin,
            draft_id=draft.pk,
            revision=draft.revision,
            rule={**supervision, "value": 150},
            rule_id=supervision["id"],
        )
    rule = {**supervision, "value": 120}
    if name == "api:rulepack-draft-rules":  # a new rule
        rule = {
            **supervision,
            "id": f"{code}.construction.walk",
            "citation": {"article": "第二十条", "quote": "原文"},
        }
    return {"draft": draft.pk, "revision": draft.revision, "rule": rule}


draft_for_walk.__test__ = False


def _next_month() -> dt.date:
    today = timezone.localdate()
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


@pytest.fixture
def baotou(pack_tenant):
    return pack_tenant("baotou")


@pytest.fixture
def admin(baotou):
    return client_for(baotou.users["jurisdiction_admin"])


@pytest.fixture
def draft(baotou):
    return services.draft_open(actor=baotou.users["jurisdiction_admin"], code="baotou")


def _rule(content, rule_id=SUPERVISION):
    return next(rule for rule in content["rules"] if rule["id"] == rule_id)


def _url(draft, suffix=""):
    return f"/api/v1/rulepack-drafts/{draft.pk}/{suffix}"


# ---------------------------------------------------------------------------- opening and reading


def test_open_creates_then_continues_the_draft(baotou, admin):
    assert admin.get("/api/v1/jurisdictions/baotou/draft/").status_code == 404  # none yet
    first = admin.post("/api/v1/jurisdictions/baotou/draft/", {}, format="json")
    assert first.status_code == 201
    body = first.json()
    assert (body["jurisdiction"], body["based_on"], body["revision"], body["status"]) == (
        "baotou",
        1,
        1,
        "open",
    )
    assert body["successor"] is False and body["created_by"] == "baotou_jurisdiction_admin"
    again = admin.post("/api/v1/jurisdictions/baotou/draft/", {"successor": True}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    got = admin.get("/api/v1/jurisdictions/baotou/draft/")
    assert got.status_code == 200 and got.json()["id"] == body["id"]
    assert admin.get(f"/api/v1/rulepack-drafts/{body['id']}/").json()["content"]["measure"]["document_number"]


def test_open_a_successor_draft(baotou, admin):
    body = admin.post("/api/v1/jurisdictions/baotou/draft/", {"successor": True}, format="json").json()
    assert body["successor"] is True
    assert body["content"]["measure"]["effective_from"] == "2026-12-01"


def test_open_refuses_unknown_fields_other_roles_and_other_tenants(baotou, admin, beta):
    assert (
        admin.post("/api/v1/jurisdictions/baotou/draft/", {"succesor": True}, format="json").status_code
        == 400
    )
    reviewer = client_for(baotou.users["reviewer"])
    assert reviewer.post("/api/v1/jurisdictions/baotou/draft/", {}, format="json").status_code == 403
    assert reviewer.get("/api/v1/jurisdictions/baotou/draft/").status_code == 403
    stranger = client_for(beta.users["jurisdiction_admin"])
    assert stranger.post("/api/v1/jurisdictions/baotou/draft/", {}, format="json").status_code == 404
    assert not RulePackDraft.objects.exists()


def test_a_draft_is_the_admins_business(baotou, draft, beta):
    assert client_for(baotou.users["auditor"]).get(_url(draft)).status_code == 403
    assert client_for(beta.users["jurisdiction_admin"]).get(_url(draft)).status_code == 404
    assert (
        client_for(baotou.users["jurisdiction_admin"]).get("/api/v1/rulepack-drafts/999999/").status_code
        == 404
    )


# ---------------------------------------------------------------------------- rules and sections


def test_replace_a_rule_and_a_stale_revision_is_409(admin, draft):
    rule = {**_rule(draft.content), "value": 100}
    response = admin.put(_url(draft, f"rules/{SUPERVISION}/"), {"revision": 1, "rule": rule}, format="json")
    assert response.status_code == 200
    assert response.json()["revision"] == 2 and _rule(response.json()["content"])["value"] == 100
    stale = admin.put(_url(draft, f"rules/{SUPERVISION}/"), {"revision": 1, "rule": rule}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "concurrent_update" and stale.json()["revision"] == 2


def test_a_bad_rule_is_400_naming_the_field(admin, draft):
    rule = {**_rule(draft.content), "value": "lots"}
    response = admin.put(_url(draft, f"rules/{SUPERVISION}/"), {"revision": 1, "rule": rule}, format="json")
    assert response.status_code == 400 and "value" in response.json()["errors"]
    missing = admin.put(_url(draft, f"rules/{SUPERVISION}/"), {"rule": rule}, format="json")
    assert missing.status_code == 400 and "revision" in missing.json()["errors"]
    unknown = admin.put(
        _url(draft, "rules/baotou.nothing.here/"), {"revision": 1, "rule": rule}, format="json"
    )
    assert unknown.status_code == 400


def test_add_a_rule_needs_its_article_and_quote(admin, draft):
    rule = {**_rule(draft.content), "id": "baotou.construction.extra", "citation": {"article": "第十九条"}}
    response = admin.post(_url(draft, "rules/"), {"revision": 1, "rule": rule}, format="json")
    assert response.status_code == 400 and "citation.quote" in response.json()["errors"]
    rule["citation"]["quote"] = "原则上实行监理制"
    response = admin.post(_url(draft, "rules/"), {"revision": 1, "rule": rule}, format="json")
    assert response.status_code == 201
    assert (
        _rule(response.json()["content"], "baotou.construction.extra")["citation"]["quote"]
        == "原则上实行监理制"
    )


def test_switch_a_rule_off_needs_a_reason_then_on_again(admin, draft):
    url = _url(draft, f"rules/{SUPERVISION}/switch/")
    assert admin.post(url, {"revision": 1, "off": True}, format="json").status_code == 400
    off = admin.post(url, {"revision": 1, "off": True, "reason": "另行规定"}, format="json")
    assert off.status_code == 200 and _rule(off.json()["content"])["switched_off"]["zh"] == "另行规定"
    on = admin.post(url, {"revision": 2, "off": False}, format="json")
    assert on.status_code == 200 and "switched_off" not in _rule(on.json()["content"])


def test_replace_a_section(admin, draft):
    categories = [*draft.content["categories"], {"code": "extra", "name": {"zh": "其他", "en": "Other"}}]
    response = admin.put(
        _url(draft, "sections/categories/"), {"revision": 1, "value": categories}, format="json"
    )
    assert response.status_code == 200 and response.json()["content"]["categories"][-1]["code"] == "extra"
    bad = admin.put(_url(draft, "sections/nowhere/"), {"revision": 2, "value": []}, format="json")
    assert bad.status_code == 400 and "section" in bad.json()["errors"]


def test_writes_refuse_a_member_who_is_not_admin(baotou, draft):
    reviewer = client_for(baotou.users["reviewer"])
    rule = _rule(draft.content)
    assert (
        reviewer.put(
            _url(draft, f"rules/{SUPERVISION}/"), {"revision": 1, "rule": rule}, format="json"
        ).status_code
        == 403
    )
    assert (
        reviewer.post(_url(draft, "discard/"), {"revision": 1, "reason": "x"}, format="json").status_code
        == 403
    )


# ---------------------------------------------------------------------------- YAML


def test_yaml_round_trip_and_a_line_numbered_error(admin, draft):
    response = admin.get(_url(draft, "yaml/"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/yaml")
    text = response.content.decode()
    _spec, content = load_pack_text(text)
    assert content == draft.content
    edited = text.replace("value: 200\n", "value: 180\n", 1)
    saved = admin.put(_url(draft, "yaml/"), {"revision": 1, "text": edited}, format="json")
    assert saved.status_code == 200 and _rule(saved.json()["content"])["value"] == 180
    broken = text.replace("value: 200\n", "value: lots\n", 1)
    line = broken.splitlines().index(next(x for x in broken.splitlines() if x.endswith("value: lots"))) + 1
    refused = admin.put(_url(draft, "yaml/"), {"revision": 2, "text": broken}, format="json")
    assert refused.status_code == 400
    assert any(p["line"] == line and p["field"].endswith(".value") for p in refused.json()["problems"])


# ---------------------------------------------------------------------------- publish and discard


def test_publish_makes_the_next_version(baotou, admin, draft):
    rule = {**_rule(draft.content), "value": 100}
    admin.put(_url(draft, f"rules/{SUPERVISION}/"), {"revision": 1, "rule": rule}, format="json")
    body = {"revision": 2, "effective_from": str(_next_month()), "note": "监理门槛降至100万元"}
    response = admin.post(_url(draft, "publish/"), body, format="json")
    assert response.status_code == 201, response.content
    published = response.json()
    assert (published["version"], published["note"], published["effective_from"]) == (
        2,
        "监理门槛降至100万元",
        str(_next_month()),
    )
    assert published["source"] == "editor:baotou_jurisdiction_admin"
    assert (
        RulePack.objects.get(jurisdiction=baotou.jurisdiction, version=2).spec.rule(SUPERVISION).value == 100
    )
    again = admin.post(_url(draft, "publish/"), {**body, "revision": 2}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"note": ""}, "note"),
        ({"effective_from": "2020-01-01"}, "effective_from"),
        ({"effective_from": "x"}, "effective_from"),
    ],
)
def test_publish_refusals_name_the_field(admin, draft, change, field):
    rule = {**_rule(draft.content), "value": 100}
    admin.put(_url(draft, f"rules/{SUPERVISION}/"), {"revision": 1, "rule": rule}, format="json")
    body = {"revision": 2, "effective_from": str(_next_month()), "note": "改", **change}
    response = admin.post(_url(draft, "publish/"), body, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]


def test_publishing_an_unchanged_draft_is_refused(admin, draft):
    body = {"revision": 1, "effective_from": str(_next_month()), "note": "无变化"}
    response = admin.post(_url(draft, "publish/"), body, format="json")
    assert response.status_code == 400 and "content" in response.json()["errors"]


def test_discard_needs_a_reason(admin, draft):
    assert admin.post(_url(draft, "discard/"), {"revision": 1}, format="json").status_code == 400
    response = admin.post(_url(draft, "discard/"), {"revision": 1, "reason": "方向有变"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == DraftStatus.DISCARDED
    closed = admin.post(_url(draft, "discard/"), {"revision": 1, "reason": "再次"}, format="json")
    assert closed.status_code == 409


# ---------------------------------------------------------------------------- export


def test_export_is_for_every_member_and_loads_back(baotou, beta):
    pack = RulePack.objects.get(jurisdiction=baotou.jurisdiction, version=1)
    response = client_for(baotou.users["expert"]).get("/api/v1/jurisdictions/baotou/rulepacks/1/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="baotou-v1.yaml"'
    _spec, content = load_pack_text(response.content.decode())
    assert content == pack.content
    missing = client_for(baotou.users["expert"]).get("/api/v1/jurisdictions/baotou/rulepacks/7/export/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    other = client_for(beta.users["expert"]).get("/api/v1/jurisdictions/baotou/rulepacks/1/export/")
    assert other.status_code == 404
