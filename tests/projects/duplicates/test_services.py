"""duplicate_decide: a reviewer who did not file the project; a duplicate names it and says why; audited."""

from __future__ import annotations

import pytest

from govproj.errors import NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from projects.duplicates.models import DuplicateFinding, Verdict
from projects.duplicates.services import duplicate_decide
from projects.models import AuditEvent
from tests.conftest import make_project


def test_a_reviewer_records_a_duplicate_with_an_audit_event(alpha):
    project = make_project(alpha, title="数据共享平台")
    other = make_project(alpha, title="数据共享平台一期")

    finding = duplicate_decide(
        actor=alpha.users[Role.REVIEWER],
        project_id=project.pk,
        verdict=Verdict.DUPLICATE_OF,
        other_project_id=other.pk,
        comment="与一期建设内容重复",
    )

    assert finding.other == other and finding.decided_by == alpha.users[Role.REVIEWER]
    event = AuditEvent.objects.filter(project=project).order_by("-id").first()
    assert event.action == "duplicate_decision"
    assert event.comment == "与一期建设内容重复"
    assert event.changes == {"verdict": "duplicate_of", "duplicate_of": other.code}
    assert event.action_label != "duplicate_decision"  # labelled for the timeline


def test_not_a_duplicate_needs_no_comment(alpha):
    project = make_project(alpha)
    finding = duplicate_decide(
        actor=alpha.users[Role.REVIEWER], project_id=project.pk, verdict=Verdict.NOT_DUPLICATE
    )
    assert finding.other is None and finding.comment == ""


def test_a_duplicate_needs_a_comment_and_the_other_project(alpha):
    project = make_project(alpha)
    other = make_project(alpha)
    reviewer = alpha.users[Role.REVIEWER]
    with pytest.raises(ValidationFailed) as no_comment:
        duplicate_decide(
            actor=reviewer, project_id=project.pk, verdict=Verdict.DUPLICATE_OF, other_project_id=other.pk
        )
    assert "comment" in no_comment.value.extra["errors"]
    with pytest.raises(ValidationFailed) as no_other:
        duplicate_decide(actor=reviewer, project_id=project.pk, verdict=Verdict.DUPLICATE_OF, comment="重复")
    assert "other" in no_other.value.extra["errors"]
    assert not DuplicateFinding.objects.exists()


def test_the_other_project_is_of_the_same_jurisdiction_and_not_itself(alpha, beta):
    project = make_project(alpha)
    foreign = make_project(beta)
    reviewer = alpha.users[Role.REVIEWER]
    for other in (foreign.pk, project.pk, "abc"):
        with pytest.raises(ValidationFailed):
            duplicate_decide(
                actor=reviewer,
                project_id=project.pk,
                verdict=Verdict.DUPLICATE_OF,
                other_project_id=other,
                comment="重复",
            )


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.REVIEWER, Role.EXPERT}))
def test_only_a_reviewer_decides(alpha, role):
    project = make_project(alpha)
    with pytest.raises(NotPermitted):
        duplicate_decide(actor=alpha.users[role], project_id=project.pk, verdict=Verdict.NOT_DUPLICATE)


def test_a_reviewer_who_filed_the_project_may_not_decide(alpha):
    from jurisdictions.models import Membership

    reviewer = alpha.users[Role.REVIEWER]
    Membership.objects.create(
        user=reviewer,
        jurisdiction=alpha.jurisdiction,
        role=Role.DEPARTMENT_STAFF,
        department=alpha.department,
    )
    project = make_project(alpha, actor=reviewer)
    with pytest.raises(NotPermitted):
        duplicate_decide(actor=reviewer, project_id=project.pk, verdict=Verdict.NOT_DUPLICATE)


def test_another_tenant_gets_not_found(alpha, beta):
    project = make_project(alpha)
    with pytest.raises(NotFound):
        duplicate_decide(
            actor=beta.users[Role.REVIEWER], project_id=project.pk, verdict=Verdict.NOT_DUPLICATE
        )
