"""Section 3 of the hardening issue: the admin stays behind the services, scoped to the tenant,
every admin write is in the security log, admins cannot grant themselves roles, and whoever
filed, declared, submitted or resubmitted a project never decides on it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import Client

from govproj.errors import NotPermitted
from jurisdictions.models import Department, Membership, Role
from projects import services
from projects.models import AuditEvent, Project
from security.models import Kind, SecurityEvent
from tests.conftest import admin_site_client, make_project, make_tenant
from tests.factories import UserFactory
from tests.test_concurrency_and_worker import _needs


@pytest.fixture
def admin_client(alpha, beta):
    return admin_site_client(alpha)


def test_the_project_admin_creates_nothing(admin_client):
    assert admin_client.get("/admin/projects/project/add/").status_code == 403
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    root = Client()
    root.force_login(superuser)
    assert root.get("/admin/projects/project/add/").status_code == 403  # was a 500
    assert root.post("/admin/projects/project/add/", {"title": "x"}).status_code == 403


def test_money_tenancy_and_facts_are_read_only_and_a_title_edit_is_audited(admin_client, alpha):
    project = make_project(alpha)
    url = f"/admin/projects/project/{project.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="title"' in page and 'name="total_investment_wan"' not in page
    assert 'name="department"' not in page and 'name="facts"' not in page
    response = admin_client.post(
        url,
        {
            "title": "改正后的名称",
            "description": "",
            "total_investment_wan": "1",
            "department": alpha.other_department.pk,
            "facts": "{}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    project.refresh_from_db()
    assert project.title == "改正后的名称"
    assert project.total_investment_wan == Decimal("150.00")
    assert project.department == alpha.department and project.facts
    event = AuditEvent.objects.get(project=project, action="admin_edit")
    assert event.actor == alpha.users[Role.JURISDICTION_ADMIN]
    assert event.changes == {"title": {"from": "政务服务平台升级", "to": "改正后的名称"}}
    logged = SecurityEvent.objects.get(kind=Kind.ADMIN_CHANGED, target__startswith="projects.project")
    assert logged.jurisdiction == alpha.jurisdiction
    assert logged.data["changes"]["title"]["to"] == "改正后的名称"


def test_project_and_audit_admin_are_scoped_to_the_tenant(admin_client, alpha, beta):
    mine, theirs = make_project(alpha, title="本地项目"), make_project(beta, title="外地项目")
    listing = admin_client.get("/admin/projects/project/").content.decode()
    assert mine.code in listing and theirs.code not in listing
    assert admin_client.get(f"/admin/projects/project/{theirs.pk}/change/").status_code == 302
    events = admin_client.get("/admin/projects/auditevent/").content.decode()
    assert mine.code in events and theirs.code not in events
    foreign_event = AuditEvent.objects.filter(project=theirs).first()
    assert admin_client.get(f"/admin/projects/auditevent/{foreign_event.pk}/change/").status_code == 302


def test_a_department_edit_in_the_admin_is_logged_field_by_field(admin_client, alpha):
    url = f"/admin/jurisdictions/department/{alpha.department.pk}/change/"
    response = admin_client.post(
        url,
        {
            "jurisdiction": alpha.jurisdiction.pk,
            "code": alpha.department.code,
            "name_zh": "新名称",
            "name_en": alpha.department.name_en,
        },
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=Kind.ADMIN_CHANGED)
    assert event.actor == alpha.users[Role.JURISDICTION_ADMIN]
    assert event.jurisdiction == alpha.jurisdiction
    assert list(event.data["changes"]) == ["name_zh"]
    assert event.data["changes"]["name_zh"]["to"] == "新名称"
    assert event.data["changes"]["name_zh"]["from"].startswith("部门")


def test_an_admin_cannot_grant_themselves_a_role(admin_client, alpha):
    me = alpha.users[Role.JURISDICTION_ADMIN]
    response = admin_client.post(
        "/admin/jurisdictions/membership/add/",
        {"user": me.pk, "jurisdiction": alpha.jurisdiction.pk, "role": Role.REVIEWER},
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=me, role=Role.REVIEWER).exists()
    with pytest.raises(NotPermitted):
        from jurisdictions.services import membership_save

        membership_save(
            actor=me, membership=Membership(user=me, jurisdiction=alpha.jurisdiction, role=Role.REVIEWER)
        )


def test_the_people_offered_are_only_the_admins_own(admin_client, alpha, beta):
    stranger = UserFactory(username="no_jurisdiction_yet")
    page = admin_client.get("/admin/jurisdictions/membership/add/").content.decode()
    assert "alpha_reviewer" in page
    assert "beta_reviewer" not in page and stranger.username not in page
    assert f'value="{alpha.users[Role.JURISDICTION_ADMIN].pk}"' not in page  # not themselves either
    refused = admin_client.post(
        "/admin/jurisdictions/membership/add/",
        {"user": beta.users[Role.REVIEWER].pk, "jurisdiction": alpha.jurisdiction.pk, "role": Role.AUDITOR},
    )
    assert refused.status_code == 200
    assert not Membership.objects.filter(user=beta.users[Role.REVIEWER], jurisdiction=alpha.jurisdiction)


def test_grants_changes_and_revocations_are_logged_old_to_new(admin_client, alpha):
    reviewer = alpha.users[Role.REVIEWER]
    response = admin_client.post(
        "/admin/jurisdictions/membership/add/",
        {"user": reviewer.pk, "jurisdiction": alpha.jurisdiction.pk, "role": Role.SECURITY_REVIEWER},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    granted = SecurityEvent.objects.get(kind=Kind.MEMBERSHIP_GRANTED)
    assert granted.subject_user == reviewer and granted.actor == alpha.users[Role.JURISDICTION_ADMIN]
    assert granted.data["old"] is None and granted.data["new"]["role"] == Role.SECURITY_REVIEWER
    membership = Membership.objects.get(user=reviewer, role=Role.SECURITY_REVIEWER)
    response = admin_client.post(
        f"/admin/jurisdictions/membership/{membership.pk}/change/",
        {"user": reviewer.pk, "jurisdiction": alpha.jurisdiction.pk, "role": Role.AUDITOR},
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    changed = SecurityEvent.objects.get(kind=Kind.MEMBERSHIP_CHANGED)
    assert (
        changed.data["old"]["role"] == Role.SECURITY_REVIEWER and changed.data["new"]["role"] == Role.AUDITOR
    )
    response = admin_client.post(f"/admin/jurisdictions/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    revoked = SecurityEvent.objects.get(kind=Kind.MEMBERSHIP_REVOKED)
    assert revoked.data == {"old": changed.data["new"], "new": None}
    assert not Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("filing_step", ["declare", "resubmit"])
def test_whoever_declared_or_resubmitted_never_decides(alpha, filing_step):
    creator = alpha.users[Role.DEPARTMENT_STAFF]
    colleague = UserFactory(username="colleague")
    Membership.objects.create(
        user=colleague,
        jurisdiction=alpha.jurisdiction,
        role=Role.DEPARTMENT_STAFF,
        department=alpha.department,
    )
    Membership.objects.create(user=colleague, jurisdiction=alpha.jurisdiction, role=Role.REVIEWER)
    project = make_project(alpha)
    if filing_step == "declare":
        services.transition_project(actor=colleague, project_id=project.pk, name="declare")
    else:
        services.transition_project(actor=creator, project_id=project.pk, name="declare")
        services.transition_project(
            actor=alpha.users[Role.REVIEWER],
            project_id=project.pk,
            name="return_for_revision",
            comment="请补充",
        )
        services.transition_project(actor=colleague, project_id=project.pk, name="resubmit")
    for decision in ("enter_library", "reject", "return_for_revision"):
        with pytest.raises(NotPermitted, match=r"不得|may not|不能"):
            services.transition_project(actor=colleague, project_id=project.pk, name=decision)
    from projects.selectors import available_transitions

    assert "enter_library" not in available_transitions(Project.objects.get(pk=project.pk), colleague)
    assert "enter_library" in available_transitions(
        Project.objects.get(pk=project.pk), alpha.users[Role.REVIEWER]
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_refuses_a_project_whose_department_is_in_another_jurisdiction():
    _needs(connection.vendor == "postgresql", "the check is a PostgreSQL trigger")
    alpha, beta = make_tenant("alpha"), make_tenant("beta")
    project = make_project(alpha)
    with pytest.raises(IntegrityError, match="does not belong"), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(department=beta.department)
    with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
        Department.objects.filter(pk=alpha.department.pk).update(jurisdiction=beta.jurisdiction)
