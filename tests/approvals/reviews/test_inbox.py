"""The inbox sources of review steps and expert opinions: what waits on whom, in constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.delegation.models import Delegation
from approvals.inbox.registry import SOURCES
from approvals.reviews import services
from approvals.reviews.models import ReviewStep
from govproj.errors import ValidationFailed
from jurisdictions.models import Role
from tests.approvals.reviews.conftest import declared_project

pytestmark = pytest.mark.django_db


def counted(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, len(queries)


def test_review_steps_wait_on_their_takers_in_a_constant_number_of_queries(staged, django_assert_num_queries):
    source = SOURCES["review_step"]
    cloud = staged.users["cloud_reviewer"]
    declared_project(staged, title="项目0")
    source.pending(cloud)  # warm the per-process caches (the pack's spec)
    one, queries_one = counted(lambda: source.pending(cloud))
    assert [item.key.split(":")[1] for item in one] == ["pre_review"]
    assert one[0].what == "技术前置审核（云计算中心）" and one[0].batch == ("approve", "return")
    for n in range(1, 30):
        declared_project(staged, title=f"项目{n}")
    with django_assert_num_queries(queries_one):
        many = source.pending(cloud)
    assert len(many) == 30
    # the staff who filed them have nothing to do; the data bureau's reviewer has no pre-review
    assert source.pending(staged.users[Role.DEPARTMENT_STAFF]) == []
    assert source.pending(staged.users[Role.REVIEWER]) == []


def test_a_delegate_sees_the_delegators_steps_and_decides_them(staged, declared):
    source = SOURCES["review_step"]
    delegate = staged.users["reviewer_2"]
    assert source.pending(delegate) == []
    today = timezone.localdate()
    Delegation.objects.create(
        jurisdiction=staged.jurisdiction,
        delegator=staged.users["cloud_reviewer"],
        delegate=delegate,
        starts_on=today,
        ends_on=today + dt.timedelta(days=2),
        created_by=staged.users[Role.JURISDICTION_ADMIN],
    )
    (item,) = source.pending(delegate)
    assert (
        item.for_whom == staged.users["cloud_reviewer"].get_full_name()
        or staged.users["cloud_reviewer"].username
    )
    source.decide(delegate, item.key, "approve", "")
    row = ReviewStep.objects.get()
    assert row.status == "passed" and row.on_behalf_of == staged.users["cloud_reviewer"]
    assert source.pending(delegate) == []
    (done,) = source.done(delegate)
    assert done.outcome == "已通过"


def test_approve_is_refused_for_a_step_that_needs_expert_opinions_and_return_fails_it(staged, declared):
    source = SOURCES["review_step"]
    reviewer = staged.users[Role.REVIEWER]
    assert source.pending(reviewer) == []  # optional and not organised: nothing waits
    services.organise_step(actor=reviewer, project_id=declared.pk, code="expert_review")
    (item,) = source.pending(reviewer)
    assert item.batch == ("return",)
    with pytest.raises(ValidationFailed):
        source.decide(reviewer, item.key, "approve", "")
    with pytest.raises(ValidationFailed):
        source.decide(reviewer, item.key, "return", "")  # a reason is required
    source.decide(reviewer, item.key, "return", "材料不全，不予组织")
    assert ReviewStep.objects.get(code="expert_review").status == "failed"


def test_expert_opinions_wait_on_the_expert_in_a_constant_number_of_queries(
    staged, django_assert_num_queries
):
    source = SOURCES["expert_opinion"]
    reviewer, expert = staged.users[Role.REVIEWER], staged.users[Role.EXPERT]

    def assigned(title):
        project = declared_project(staged, title=title)
        services.organise_step(actor=reviewer, project_id=project.pk, code="expert_review")
        return services.assign_expert(
            actor=reviewer, project_id=project.pk, code="expert_review", expert_id=expert.pk
        )

    first = assigned("项目0")
    source.pending(expert)
    one, queries_one = counted(lambda: source.pending(expert))
    assert [i.key for i in one] == [str(first.pk)] and one[0].batch == ()
    for n in range(1, 30):
        assigned(f"项目{n}")
    with django_assert_num_queries(queries_one):
        many = source.pending(expert)
    assert len(many) == 30
    assert source.pending(staged.users["expert_2"]) == []
    with pytest.raises(ValidationFailed):
        source.decide(expert, str(first.pk), "approve", "")
    services.submit_opinion(
        actor=expert, project_id=first.project_id, assignment_id=first.pk, no_conflict=True, opinion="agree"
    )
    assert len(source.pending(expert)) == 29
    (done,) = source.done(expert)
    assert done.outcome == "同意"
