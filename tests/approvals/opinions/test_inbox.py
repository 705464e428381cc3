"""The opinions source of the inbox: what waits on the user's bodies (and their delegators'), in a
constant number of queries, and its approve / return decisions through the answer service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.delegation.models import Delegation
from approvals.inbox.registry import SOURCES
from approvals.opinions.models import OpinionRequest
from govproj.errors import NotPermitted, ValidationFailed
from jurisdictions.models import Role
from tests.approvals.opinions.conftest import requested

SOURCE = SOURCES["opinion"]


def test_waiting_requests_are_the_users_bodies_only(staged, staged_other):
    project = requested(staged)
    requested(staged_other)
    [item] = SOURCE.pending(staged.users["secrecy_reviewer"])
    assert (item.kind, item.project_id, item.what, item.for_whom) == (
        "opinion",
        project.pk,
        "密码应用意见（保密局）",
        "",
    )
    assert item.url.endswith(f"/projects/{project.pk}/#opinions") and item.batch == ("approve", "return")
    assert SOURCE.count(staged.users["police_reviewer"]) == 1
    assert SOURCE.pending(staged.users[Role.REVIEWER]) == []
    assert SOURCE.pending(staged.users[Role.DEPARTMENT_STAFF]) == []


def test_a_delegate_sees_the_delegators_requests_marked(staged):
    requested(staged)
    today = timezone.localdate()
    Delegation.objects.create(
        jurisdiction=staged.jurisdiction,
        delegator=staged.users["police_reviewer"],
        delegate=staged.users["reviewer_2"],
        starts_on=today,
        ends_on=today + dt.timedelta(days=2),
        created_by=staged.users[Role.JURISDICTION_ADMIN],
    )
    [item] = SOURCE.pending(staged.users["reviewer_2"])
    assert item.what == "等级保护意见（公安局）" and item.for_whom


def test_decide_approve_agrees_and_return_disagrees_with_the_comment(staged):
    project = requested(staged)
    crypto = OpinionRequest.objects.get(project=project, code="crypto")
    police = OpinionRequest.objects.get(project=project, code="protection_level")
    with pytest.raises(NotPermitted):
        SOURCE.decide(staged.users["police_reviewer"], str(crypto.pk), "approve", "")
    SOURCE.decide(staged.users["secrecy_reviewer"], str(crypto.pk), "approve", "")
    with pytest.raises(ValidationFailed):
        SOURCE.decide(staged.users["police_reviewer"], str(police.pk), "return", "")
    SOURCE.decide(staged.users["police_reviewer"], str(police.pk), "return", "未完成定级备案")
    crypto.refresh_from_db()
    police.refresh_from_db()
    assert (crypto.answer, police.answer, police.comment) == ("agree", "disagree", "未完成定级备案")
    [done] = SOURCE.done(staged.users["police_reviewer"])
    assert done.outcome == "不同意"
    assert SOURCE.pending(staged.users["police_reviewer"]) == []


def _queries(user) -> int:
    SOURCE.pending(user)
    with CaptureQueriesContext(connection) as captured:
        SOURCE.pending(user)
    return len(captured)


def test_the_query_count_does_not_grow_with_the_items(staged):
    user = staged.users["secrecy_reviewer"]
    requested(staged)
    one = _queries(user)
    assert len(SOURCE.pending(user)) == 1
    for n in range(29):
        requested(staged, title=f"政务项目{n}")
    assert len(SOURCE.pending(user)) == 30
    assert _queries(user) == one
