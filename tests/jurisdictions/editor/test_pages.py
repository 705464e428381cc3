"""The rule-pack pages: browsing packs and versions, exports that load back, an admin's draft, publishing."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jurisdictions.editor import services
from jurisdictions.models import DraftStatus, RulePack, RulePackDraft
from jurisdictions.rules.schema import load_pack_text
from jurisdictions.services import publish_rule_pack
from projects.detail import RULE_PHASES
from tests.conftest import PACKS, make_pack_tenant, testland_text

SUPERVISION = "baotou.construction.supervision"
SHIPPED = ("baotou", "hongshan", "laizhou", "nanchong", "ordos")


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def baotou(pack_tenant):
    return pack_tenant("baotou")


def _admin(tenant):
    return tenant.users["jurisdiction_admin"]


def _next_month() -> dt.date:
    today = timezone.localdate()
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _edited(tenant, *, value=100):
    """An open draft of the tenant's pack with the supervision threshold changed."""
    admin = _admin(tenant)
    draft = services.draft_open(actor=admin, code=tenant.jurisdiction.code)
    rule = next(r for r in draft.content["rules"] if r["id"] == SUPERVISION)
    return services.draft_rule_save(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        rule={**rule, "value": value},
        rule_id=SUPERVISION,
    )


def _text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------------------- index


def test_index_shows_each_jurisdictions_measure_and_version_to_every_member(baotou):
    response = browser(baotou.users["department_staff"]).get(reverse("rules:index"))
    page = _text(response)
    assert response.status_code == 200
    assert "包头市本级政务信息化项目建设管理办法（试行）" in page
    assert "包府办发〔2024〕106号" in page
    assert "第 1 版，自 2024-12-01 起施行" in page
    assert reverse("rules:pack", args=["baotou"]) in page
    assert reverse("rules:versions", args=["baotou"]) in page
    assert reverse("rules:compare") in page
    assert reverse("rules:draft-start", args=["baotou"]) not in page  # not an admin: no editing
    assert 'href="/rules/"' in page  # the navigation's 规则包 link


def test_index_offers_the_admin_to_edit_then_to_continue_the_draft(baotou):
    admin = _admin(baotou)
    page = _text(browser(admin).get(reverse("rules:index")))
    assert reverse("rules:draft-start", args=["baotou"]) in page
    assert "编辑规则" in page
    draft = _edited(baotou)
    page = _text(browser(admin).get(reverse("rules:index")))
    assert "继续编辑草稿" in page
    assert reverse("rules:draft", args=[draft.pk]) in page
    assert admin.get_full_name() in page
    assert f"第 {draft.revision} 稿" in page


def test_an_expired_measure_is_a_warning_and_offers_a_successor_draft(alpha):
    text = testland_text("alpha").replace("effective_to: null", "effective_to: 2025-06-30")
    spec, content = load_pack_text(text, source="expired")
    publish_rule_pack(spec, content, source="expired")
    page = _text(browser(_admin(alpha)).get(reverse("rules:index")))
    assert "办法已于2025-06-30失效" in page
    assert 'class="warning"' in page
    assert "起草后续规则包" in page
    assert 'name="successor" value="1"' in page
    staff_page = _text(browser(alpha.users["reviewer"]).get(reverse("rules:index")))
    assert "办法已于2025-06-30失效" in staff_page and "起草后续规则包" not in staff_page


def test_the_successor_button_opens_a_successor_draft(alpha):
    response = browser(_admin(alpha)).post(reverse("rules:draft-start", args=["alpha"]), {"successor": "1"})
    draft = RulePackDraft.objects.get(jurisdiction=alpha.jurisdiction)
    assert response.status_code == 302 and response["Location"] == reverse("rules:draft", args=[draft.pk])
    assert draft.successor


def test_index_query_count_is_bounded(baotou, django_assert_max_num_queries):
    _edited(baotou)
    client = browser(_admin(baotou))
    client.get(reverse("rules:index"))  # warm the per-process caches (spec validation)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("rules:index")).status_code == 200


# ---------------------------------------------------------------------------- the pack


def test_the_pack_reads_in_chinese_with_article_and_quote_and_no_rule_id(baotou):
    page = _text(browser(baotou.users["reviewer"]).get(reverse("rules:pack", args=["baotou"])))
    assert "监理制" in page
    assert "总投资 ≥ 200 万元 → 须办理" in page
    assert "第十九条" in page
    assert "总投资在200万元及以上的政务信息化项目原则上实行监理制" in page
    assert "项目自评价" in page and "正式运行日期后 1 年至 2 年之间" in page  # a window
    assert "限期整改截止日期" in page  # a deadline's anchor by its label
    # phases in Chinese, in the order of a project's life
    headings = [page.index(f"<h2>{label} ") for code, label in RULE_PHASES if f'id="phase-{code}"' in page]
    assert len(headings) >= 6 and headings == sorted(headings)
    assert SUPERVISION not in page
    assert "total_investment_wan" not in page
    assert 'id="rule-baotou-construction-supervision"' in page
    assert "导出 YAML" in page and reverse("rules:export", args=["baotou", 1]) in page
    assert "基础公共政务信息化项目" in page  # the categories
    assert "可行性研究报告" in page  # the documents
    assert "threshold" not in page and "required_documents" not in page


def test_required_documents_and_negative_list_show_names_and_items(alpha):
    page = _text(browser(alpha.users["department_staff"]).get(reverse("rules:pack", args=["alpha"])))
    assert "项目建议书" in page and "可行性研究报告" in page
    assert "（一）重复建设" in page  # a negative list's item with its clause
    assert "试运行开始日期后 10 个工作日内" in page or "试运行开始日期后 10" in page
    assert "alpha.intake" not in page


def test_a_switched_off_rule_shows_why(baotou):
    admin = _admin(baotou)
    draft = services.draft_open(actor=admin, code="baotou")
    draft = services.draft_rule_switch(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        rule_id=SUPERVISION,
        off=True,
        reason="市里另行规定",
    )
    services.draft_publish(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        effective_from=_next_month(),
        note="停用监理规则",
    )
    page = _text(browser(admin).get(reverse("rules:pack", args=["baotou"]) + "?version=2"))
    assert "已停用：市里另行规定" in page
    assert "第 2 版" in page
    old = _text(browser(admin).get(reverse("rules:pack", args=["baotou"])))  # in force today: version 1
    assert "已停用" not in old


def test_the_pack_of_another_jurisdiction_or_a_missing_version_is_404(baotou, beta):
    assert (
        browser(beta.users["jurisdiction_admin"]).get(reverse("rules:pack", args=["baotou"])).status_code
        == 404
    )
    client = browser(baotou.users["reviewer"])
    assert client.get(reverse("rules:pack", args=["baotou"]) + "?version=9").status_code == 404
    assert client.get(reverse("rules:pack", args=["baotou"]) + "?version=x").status_code == 400
    assert client.get(reverse("rules:versions", args=["alpha"])).status_code == 404
    assert client.get(reverse("rules:export", args=["nowhere", 1])).status_code == 404


def test_pack_query_count_is_bounded(baotou, django_assert_max_num_queries):
    client = browser(baotou.users["reviewer"])
    client.get(reverse("rules:pack", args=["baotou"]))
    with django_assert_max_num_queries(11):  # the same for a pack of 5 rules or 50
        assert client.get(reverse("rules:pack", args=["baotou"])).status_code == 200


# ---------------------------------------------------------------------------- versions and exports


def test_versions_list_each_version_with_source_note_and_who(baotou):
    admin = _admin(baotou)
    draft = _edited(baotou)
    services.draft_publish(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        effective_from=_next_month(),
        note="监理门槛降至100万元",
    )
    page = _text(browser(baotou.users["auditor"]).get(reverse("rules:versions", args=["baotou"])))
    assert "第 2 版" in page and "第 1 版" in page
    assert "监理门槛降至100万元" in page
    assert "编辑器" in page  # the source of an editor version
    assert "baotou.yaml" in page  # a file's name, not its path
    assert admin.get_full_name() in page
    assert "今日施行" in page
    assert page.index("第 2 版") < page.index("第 1 版")  # newest first
    assert reverse("rules:diff", args=["baotou"]) in page
    assert reverse("rules:export", args=["baotou", 2]) in page


@pytest.mark.parametrize("code", SHIPPED)
def test_a_shipped_pack_exports_as_yaml_that_loads_back_the_same(code, db):
    tenant = make_pack_tenant(code)
    pack = RulePack.objects.get(jurisdiction=tenant.jurisdiction, version=1)
    response = browser(tenant.users["department_staff"]).get(reverse("rules:export", args=[code, 1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{code}-v1.yaml"'
    text = response.content.decode()
    assert text.startswith("# ")
    _spec, content = load_pack_text(text, source="export")
    assert content == pack.content
    _spec, shipped = load_pack_text((PACKS / f"{code}.yaml").read_text(encoding="utf-8"), source="file")
    assert content == shipped


def test_an_edited_version_exports_with_its_edition_and_loads_back(baotou):
    admin = _admin(baotou)
    draft = _edited(baotou, value=150)
    pack = services.draft_publish(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        effective_from=_next_month(),
        effective_to=_next_month() + dt.timedelta(days=400),
        note="调整监理门槛",
    )
    text = browser(baotou.users["reviewer"]).get(reverse("rules:export", args=["baotou", 2])).content.decode()
    spec, content = load_pack_text(text, source="export")
    assert content == RulePack.objects.get(pk=pack.pk).content
    assert spec.edition.note == "调整监理门槛" and spec.effective_from == _next_month()
    assert spec.rule(SUPERVISION).value == 150
    assert "第 2 版" in text.splitlines()[0]


# ---------------------------------------------------------------------------- drafts


def test_draft_start_opens_the_draft_and_then_continues_it(baotou):
    client = browser(_admin(baotou))
    first = client.post(reverse("rules:draft-start", args=["baotou"]))
    again = client.post(reverse("rules:draft-start", args=["baotou"]))
    draft = RulePackDraft.objects.get(jurisdiction=baotou.jurisdiction)
    assert first["Location"] == again["Location"] == reverse("rules:draft", args=[draft.pk])
    assert client.get(reverse("rules:draft-start", args=["baotou"])).status_code == 405


def test_draft_pages_refuse_a_member_who_is_not_admin_and_hide_from_others(baotou, beta):
    draft = _edited(baotou)
    reviewer = browser(baotou.users["reviewer"])
    stranger = browser(beta.users["jurisdiction_admin"])
    assert reviewer.post(reverse("rules:draft-start", args=["baotou"])).status_code == 403
    assert stranger.post(reverse("rules:draft-start", args=["baotou"])).status_code == 404
    for name in ("rules:draft", "rules:yaml", "rules:publish", "rules:discard"):
        url = reverse(name, args=[draft.pk])
        assert reviewer.get(url).status_code == 403, name
        assert stranger.get(url).status_code == 404, name
    assert (
        reviewer.post(reverse("rules:discard", args=[draft.pk]), {"reason": "x", "revision": 1}).status_code
        == 403
    )
    anonymous = Client().get(reverse("rules:draft", args=[draft.pk]))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


def test_the_draft_page_links_every_edit(baotou):
    draft = _edited(baotou)
    page = _text(browser(_admin(baotou)).get(reverse("rules:draft", args=[draft.pk])))
    assert f"第 {draft.based_on.version} 版" in page
    assert f"<dd>{draft.revision}</dd>" in page
    assert 'id="rule-baotou-construction-supervision"' in page
    assert reverse("rules:rule-edit", args=[draft.pk, SUPERVISION]) in page
    assert reverse("rules:rule-switch", args=[draft.pk, SUPERVISION]) in page
    assert reverse("rules:rule-add", args=[draft.pk]) in page
    for section in ("measure", "categories", "documents"):
        assert reverse("rules:section", args=[draft.pk, section]) in page
    for name in ("rules:yaml", "rules:impact", "rules:publish", "rules:discard"):
        assert reverse(name, args=[draft.pk]) in page
    assert "专家模式（YAML）" in page and "影响预览" in page and "放弃草稿" in page
    assert '<option value="threshold">阈值</option>' in page  # kinds in Chinese
    assert '<option value="construction">' in page
    assert "总投资 ≥ 100 万元 → 须办理" in page  # the draft's value, not the version's


def test_a_published_draft_shows_its_status_and_no_edit_links(baotou):
    admin = _admin(baotou)
    draft = _edited(baotou)
    services.draft_publish(
        actor=admin, draft_id=draft.pk, revision=draft.revision, effective_from=_next_month(), note="改"
    )
    client = browser(admin)
    page = _text(client.get(reverse("rules:draft", args=[draft.pk])))
    assert "已发布" in page
    assert reverse("rules:rule-add", args=[draft.pk]) not in page
    assert reverse("rules:publish", args=[draft.pk]) not in page
    response = client.post(
        reverse("rules:publish", args=[draft.pk]),
        {"effective_from": _next_month(), "note": "再发", "confirm": "on", "revision": draft.revision},
    )
    assert response.status_code == 409
    assert RulePack.objects.filter(jurisdiction=baotou.jurisdiction).count() == 2


def test_draft_page_query_count_is_bounded(baotou, django_assert_max_num_queries):
    draft = _edited(baotou)
    client = browser(_admin(baotou))
    client.get(reverse("rules:draft", args=[draft.pk]))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("rules:draft", args=[draft.pk])).status_code == 200


# ---------------------------------------------------------------------------- expert mode


def test_yaml_mode_saves_the_whole_pack(baotou):
    draft = _edited(baotou)
    client = browser(_admin(baotou))
    page = _text(client.get(reverse("rules:yaml", args=[draft.pk])))
    text = re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S)[1]
    text = html.unescape(text).replace("value: 100", "value: 120", 1)
    response = client.post(reverse("rules:yaml", args=[draft.pk]), {"text": text, "revision": draft.revision})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert next(r for r in draft.content["rules"] if r["id"] == SUPERVISION)["value"] == 120


def test_a_yaml_error_names_the_field_and_line_and_keeps_the_text(baotou):
    draft = _edited(baotou)
    client = browser(_admin(baotou))
    text = (
        (PACKS / "baotou.yaml")
        .read_text(encoding="utf-8")
        .replace("    value: 200\n", "    value: lots\n", 1)
    )
    line = text.splitlines().index("    value: lots") + 1
    response = client.post(reverse("rules:yaml", args=[draft.pk]), {"text": text, "revision": draft.revision})
    page = _text(response)
    assert response.status_code == 400
    assert f"第 {line} 行" in page
    assert "value" in page
    assert "value: lots" in page  # the text is kept
    draft.refresh_from_db()
    assert draft.revision == 2  # nothing saved


def test_a_stale_yaml_save_is_409_and_keeps_the_text(baotou):
    draft = _edited(baotou)
    response = browser(_admin(baotou)).post(
        reverse("rules:yaml", args=[draft.pk]),
        {"text": "schema_version: 1\n# mine\n", "revision": draft.revision - 1},
    )
    assert response.status_code == 409
    assert "# mine" in _text(response)


# ---------------------------------------------------------------------------- publish and discard


def test_publish_shows_what_changed_and_defaults_to_next_month(baotou):
    draft = _edited(baotou)
    page = _text(browser(_admin(baotou)).get(reverse("rules:publish", args=[draft.pk])))
    assert "监理制" in page  # the changed rule by its title
    assert "200" in page and "100" in page
    assert f'value="{_next_month().isoformat()}"' in page
    assert "确认发布（发布后不可修改）" in page
    assert reverse("rules:impact", args=[draft.pk]) in page


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"note": ""}, "note"),
        ({"effective_from": "2020-01-01"}, "effective_from"),
        ({"confirm": ""}, "confirm"),
    ],
)
def test_publish_refusals_name_the_field(baotou, change, field):
    draft = _edited(baotou)
    data = {"effective_from": _next_month(), "note": "降低门槛", "confirm": "on", "revision": draft.revision}
    response = browser(_admin(baotou)).post(reverse("rules:publish", args=[draft.pk]), {**data, **change})
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert RulePack.objects.filter(jurisdiction=baotou.jurisdiction).count() == 1


def test_publish_makes_version_2_with_its_note_and_dates(baotou):
    draft = _edited(baotou)
    client = browser(_admin(baotou))
    ends = _next_month() + dt.timedelta(days=365)
    response = client.post(
        reverse("rules:publish", args=[draft.pk]),
        {
            "effective_from": _next_month(),
            "effective_to": ends,
            "note": "监理门槛降至100万元",
            "confirm": "on",
            "revision": draft.revision,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("rules:versions", args=["baotou"])
    pack = RulePack.objects.get(jurisdiction=baotou.jurisdiction, version=2)
    assert (pack.note, pack.effective_from, pack.effective_to) == ("监理门槛降至100万元", _next_month(), ends)
    assert f"已发布第 2 版，自 {_next_month().isoformat()} 起施行" in _text(response)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED and draft.published_as_id == pack.pk


def test_discard_needs_a_reason(baotou):
    draft = _edited(baotou)
    client = browser(_admin(baotou))
    url = reverse("rules:discard", args=[draft.pk])
    response = client.post(url, {"reason": "", "revision": draft.revision})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.status == DraftStatus.OPEN
    response = client.post(url, {"reason": "方向有变", "revision": draft.revision})
    assert response.status_code == 302 and response["Location"] == reverse("rules:index")
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DISCARDED
    assert client.get(url).status_code == 409
