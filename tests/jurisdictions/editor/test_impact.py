"""The impact preview of a draft: the verdicts of the projects in flight now and under the draft."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jurisdictions.editor import services
from jurisdictions.editor.impact import draft_impact, in_flight
from projects.models import Phase, Project
from projects.selectors import evaluate_projects
from tests.conftest import advance, client_for, make_project

SUPERVISION = "baotou.construction.supervision"
ENGAGED = "baotou.construction.supervisor_engaged"


@pytest.fixture
def baotou(pack_tenant):
    return pack_tenant("baotou")


def _admin(tenant):
    return tenant.users["jurisdiction_admin"]


def _rule(draft, rule_id):
    return next(rule for rule in draft.content["rules"] if rule["id"] == rule_id)


def lowered_draft(tenant, threshold=100):
    """A draft that lowers the supervision threshold (and the duty to engage a supervisor) to `threshold`."""
    admin = _admin(tenant)
    draft = services.draft_open(actor=admin, code="baotou")
    rule = {**_rule(draft, SUPERVISION), "value": threshold}
    draft = services.draft_rule_save(
        actor=admin, draft_id=draft.pk, revision=draft.revision, rule=rule, rule_id=SUPERVISION
    )
    engaged = _rule(draft, ENGAGED)
    engaged = {**engaged, "applies_when": {**engaged["applies_when"], "value": threshold}}
    return services.draft_rule_save(
        actor=admin, draft_id=draft.pk, revision=draft.revision, rule=engaged, rule_id=ENGAGED
    )


def declared(tenant, *, investment="150.00", title="政务服务平台升级", phase="declared", facts=None):
    project = make_project(
        tenant, total_investment_wan=Decimal(investment), title=title, category="business", facts=facts or {}
    )
    return advance(project, phase)


def page(user, draft):
    client = Client()
    client.force_login(user)
    return client.get(f"/rules/drafts/{draft.pk}/impact/")


READY = {"implementation_body_assigned": True}  # approved, nothing else stops the start of construction


def test_a_lowered_threshold_changes_the_verdict_of_a_project_below_the_old_one(baotou):
    small = declared(baotou, investment="150.00", title="小项目", phase="approved", facts=READY)
    large = declared(baotou, investment="300.00", title="大项目", phase="approved", facts=READY)
    draft = lowered_draft(baotou)

    impact = draft_impact(draft)

    affected = {p.project.pk: p for p in impact.affected}
    assert large.pk not in affected  # above both thresholds: decided as before
    changes = {c.rule_id: c for c in affected[small.pk].changes}
    assert (changes[SUPERVISION].before, changes[SUPERVISION].after) == ("pass", "required")
    assert changes[SUPERVISION].title == "监理制"
    assert changes[SUPERVISION].article == "第十九条"
    assert changes[SUPERVISION].before_label == "符合" and changes[SUPERVISION].after_label == "须办理"
    # Engaging a supervisor now applies to it, and stops the start of construction (its next step).
    assert [(t.name, t.now) for t in affected[small.pk].blocked] == [("start_construction", True)]
    assert affected[small.pk].unblocked == []


def test_counts_before_are_those_of_the_batch_evaluation_and_after_move_with_the_draft(baotou):
    for investment in ("80.00", "150.00", "199.00", "500.00"):
        declared(baotou, investment=investment)
    draft = lowered_draft(baotou)

    impact = draft_impact(draft)

    batch = Counter(
        v.outcome.value
        for evaluated in evaluate_projects(in_flight(baotou.jurisdiction), as_of=impact.as_of)
        for v in evaluated.verdicts
    )
    assert impact.before == batch
    counts = {row["outcome"]: row for row in impact.counts}
    # 150 and 199 cross the lowered threshold (80 does not, 500 was above already)
    assert counts["required"]["after"] - counts["required"]["before"] >= 2
    assert sum(row["before"] for row in impact.counts) == sum(batch.values())


def test_only_projects_in_flight_are_previewed(baotou):
    flying = declared(baotou)
    draft_project = make_project(baotou, title="草稿项目", category="business")
    ended = declared(baotou, title="已终止项目")
    Project.objects.filter(pk=ended.pk).update(phase=Phase.TERMINATED)
    operating = declared(baotou, title="运行中项目", phase="in_operation")

    impact = draft_impact(lowered_draft(baotou))

    ids = {p.project.pk for p in impact.projects}
    assert ids == {flying.pk, operating.pk}
    assert draft_project.pk not in ids


def test_a_draft_that_changes_nothing_changes_no_verdict(baotou):
    declared(baotou)
    draft = services.draft_open(actor=_admin(baotou), code="baotou")
    impact = draft_impact(draft)
    assert impact.affected == []
    assert impact.before == impact.after


def test_the_page_names_projects_rules_and_outcomes_in_chinese(baotou):
    small = declared(baotou, investment="150.00", title="小项目", phase="approved", facts=READY)
    draft = lowered_draft(baotou)

    response = page(_admin(baotou), draft)

    assert response.status_code == 200
    text = response.content.decode()
    assert "小项目" in text and small.code in text
    assert "监理制" in text and "第十九条" in text
    assert "符合" in text and "须办理" in text
    assert "开工建设" in text  # the transition it would block
    assert "锁定" in text or "固定" in text  # projects keep the version they pinned: said on the page
    assert SUPERVISION not in text and "total_investment_wan" not in text


def test_only_the_jurisdictions_admins_see_it(baotou, pack_tenant):
    draft = lowered_draft(baotou)
    assert page(baotou.users["reviewer"], draft).status_code == 403
    other = pack_tenant("nanchong")
    assert page(_admin(other), draft).status_code == 404
    anonymous = Client().get(f"/rules/drafts/{draft.pk}/impact/")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_the_api_answers_the_admin_and_refuses_others(baotou, pack_tenant):
    small = declared(baotou, investment="150.00")
    draft = lowered_draft(baotou)
    url = f"/api/v1/rulepack-drafts/{draft.pk}/impact/"

    body = client_for(_admin(baotou)).get(url).json()

    assert body["projects_in_flight"] == 1
    [project] = body["projects"]
    assert project["id"] == small.pk
    change = next(c for c in project["changes"] if c["rule_id"] == SUPERVISION)
    assert (change["before"], change["after"]) == ("pass", "required")
    assert client_for(baotou.users["reviewer"]).get(url).status_code == 403
    assert client_for(_admin(pack_tenant("ordos"))).get(url).status_code == 404
    assert client_for(_admin(baotou)).get("/api/v1/rulepack-drafts/999999/impact/").status_code == 404


def test_the_page_reads_as_many_queries_for_nine_projects_as_for_three(baotou, django_assert_num_queries):
    draft = lowered_draft(baotou)
    admin = _admin(baotou)
    client = Client()
    client.force_login(admin)
    url = f"/rules/drafts/{draft.pk}/impact/"
    for index in range(3):
        declared(baotou, investment=str(100 + index * 50), title=f"项目{index}")
    client.get(url)  # warm the per-process caches (specs, calendars)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    three = len(captured.captured_queries)  # read now: the slice is of a bounded log that moves on
    assert response.status_code == 200
    assert len(response.context["impact"].projects) == 3
    for index in range(6):
        declared(baotou, investment=str(120 + index * 40), title=f"更多项目{index}")
    client.get(url)
    with django_assert_num_queries(three):
        response = client.get(url)
    assert len(response.context["impact"].projects) == 9


def test_an_id_no_draft_can_have_is_not_there(baotou):
    client = Client()
    client.force_login(_admin(baotou))
    assert client.get(f"/rules/drafts/{2**70}/impact/").status_code == 404
    assert client_for(_admin(baotou)).get(f"/api/v1/rulepack-drafts/{2**70}/impact/").status_code == 404
