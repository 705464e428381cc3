"""The five measures side by side, generated from the packs in force: values, 「未规定」, and no drift."""

from __future__ import annotations

import inspect

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from jurisdictions import compare
from jurisdictions.editor import services
from jurisdictions.packfiles import shipped_codes
from tests.conftest import client_for, make_tenant

SUPERVISION = "baotou.construction.supervision"


@pytest.fixture
def five(pack_tenant):
    """The five shipped packs: 包头 as a tenant with users, the four others loaded as shipped."""
    tenant = pack_tenant("baotou")
    call_command("load_rulepacks", verbosity=0)
    return tenant


def _page(user):
    client = Client()
    client.force_login(user)
    return client.get("/rules/compare/")


def _cells(table) -> dict[tuple[str, str], list[str]]:
    """(theme, jurisdiction code) → the cell's entries as shown: words and article."""
    found = {}
    for row in table.rows:
        for column, cell in zip(table.columns, row.cells, strict=True):
            found[row.theme.code, column.jurisdiction.code] = [
                f"{entry.text}（{entry.article}）" for entry in cell.entries
            ]
    return found


def test_every_measure_is_a_column_and_each_theme_says_its_values_with_the_article(five):
    response = _page(five.users["department_staff"])

    assert response.status_code == 200
    table = response.context["table"]
    names = [str(column.jurisdiction.name) for column in table.columns]
    assert names == sorted(names) and len(names) == 5
    assert {column.jurisdiction.code for column in table.columns} == set(shipped_codes())
    cells = _cells(table)
    assert cells["supervision", "baotou"] == ["≥ 200 万元（第十九条）"]
    assert cells["supervision", "laizhou"] == ["≥ 500 万元（第二十三条）"]
    assert cells["supervision", "nanchong"][0].startswith("不设金额门槛")
    assert cells["change_tolerance", "baotou"] == ["15%（第二十一条）"]
    assert cells["change_tolerance", "nanchong"] == ["10%（第二十七条）"]
    assert cells["acceptance_deadline", "ordos"] == ["建成后 6 个月内（第二十一条）"]
    assert cells["acceptance_deadline", "baotou"] == []  # 未规定
    assert cells["self_evaluation", "hongshan"] == ["竣工验收后 12–24 个月（第三十一条）"]
    assert cells["self_evaluation", "ordos"] == []
    tracks = next(row for row in table.rows if row.theme.code == "approval_tracks")
    nanchong = tracks.cells[[c.jurisdiction.code for c in table.columns].index("nanchong")]
    assert any("≤ 1,000" in item for item in nanchong.entries[0].items)  # 合并编报: total ≤ 1000 万元
    text = response.content.decode()
    assert "未规定" in text and "包头市本级" in text and "鄂尔多斯市" in text
    assert "table-scroll" in text  # the wide table scrolls inside the page at 375 px
    assert "total_investment_wan" not in text and SUPERVISION not in text


def test_a_new_version_changes_the_cell_the_comparison_never_drifts(five):
    admin = five.users["jurisdiction_admin"]
    assert _cells(compare.comparison(admin))["supervision", "baotou"] == ["≥ 200 万元（第十九条）"]
    draft = services.draft_open(actor=admin, code="baotou")
    rule = {**next(r for r in draft.content["rules"] if r["id"] == SUPERVISION), "value": 150}
    draft = services.draft_rule_save(
        actor=admin, draft_id=draft.pk, revision=draft.revision, rule=rule, rule_id=SUPERVISION
    )
    services.draft_publish(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        effective_from=timezone.localdate(),
        note="监理门槛降至150万元",
    )

    response = _page(five.users["reviewer"])

    assert _cells(response.context["table"])["supervision", "baotou"] == ["≥ 150 万元（第十九条）"]
    assert "≥ 150 万元" in response.content.decode()
    body = client_for(five.users["auditor"]).get("/api/v1/rulepacks/compare/").json()
    baotou = next(j for j in body["jurisdictions"] if j["code"] == "baotou")
    assert baotou["version"] == 2
    supervision = next(theme for theme in body["themes"] if theme["code"] == "supervision")
    assert supervision["cells"]["baotou"]["entries"][0]["text"] == "≥ 150 万元"


def test_a_version_published_for_later_does_not_show_before_it_applies(five):
    admin = five.users["jurisdiction_admin"]
    draft = services.draft_open(actor=admin, code="baotou")
    rule = {**next(r for r in draft.content["rules"] if r["id"] == SUPERVISION), "value": 120}
    draft = services.draft_rule_save(
        actor=admin, draft_id=draft.pk, revision=draft.revision, rule=rule, rule_id=SUPERVISION
    )
    later = timezone.localdate() + timezone.timedelta(days=30)
    services.draft_publish(
        actor=admin, draft_id=draft.pk, revision=draft.revision, effective_from=later, note="下月起降低门槛"
    )
    assert _cells(compare.comparison(admin))["supervision", "baotou"] == ["≥ 200 万元（第十九条）"]
    assert _cells(compare.comparison(admin, as_of=later))["supervision", "baotou"] == [
        "≥ 120 万元（第十九条）"
    ]


def test_themes_select_by_kind_phase_effect_or_fact_never_by_jurisdiction():
    source = inspect.getsource(compare)
    codes = list(shipped_codes())
    assert codes and not [code for code in codes if f'"{code}' in source or f"'{code}" in source]


def test_a_measure_without_such_rules_shows_not_set(alpha):
    table = compare.comparison(alpha.users["reviewer"])
    [column] = [c for c in table.columns if c.jurisdiction.code == "alpha"]
    index = table.columns.index(column)
    unset = {row.theme.code for row in table.rows if row.cells[index].unset}
    assert "acceptance_deadline" in unset  # the small testland pack sets no acceptance deadline
    text = _page(alpha.users["reviewer"]).content.decode()
    assert "未规定" in text


def test_everyone_signed_in_sees_every_measure_anonymous_does_not(five, alpha):
    response = _page(alpha.users["department_staff"])  # a member of another jurisdiction: public law
    codes = {column.jurisdiction.code for column in response.context["table"].columns}
    assert {"baotou", "hongshan", "laizhou", "nanchong", "ordos", "alpha"} <= codes
    mine = {column.jurisdiction.code for column in response.context["table"].columns if column.mine}
    assert mine == {"alpha"}
    assert Client().get("/rules/compare/").status_code == 302
    assert APIClient().get("/api/v1/rulepacks/compare/").status_code == 401
    assert client_for(alpha.users["expert"]).get("/api/v1/rulepacks/compare/").status_code == 200


def test_the_page_reads_the_packs_in_a_fixed_number_of_queries(db, pack_tenant, django_assert_num_queries):
    tenant = make_tenant("alpha")
    make_tenant("beta")
    client = Client()
    client.force_login(tenant.users["reviewer"])
    client.get("/rules/compare/")  # warm the per-process spec cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/rules/compare/")
    two = len(captured.captured_queries)
    assert len(response.context["table"].columns) == 2
    pack_tenant("baotou")
    call_command("load_rulepacks", verbosity=0)  # five more packs, hundreds of rules
    client.get("/rules/compare/")
    with django_assert_num_queries(two):
        response = client.get("/rules/compare/")
    assert len(response.context["table"].columns) == 7
