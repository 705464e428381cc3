"""The dashboards render for every role of every demo jurisdiction (`make run`'s seed_demo), in Chinese,
with the demo's own numbers."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from budgets.om.models import OM_STATUS_LABELS, OmApplication, OmStatus
from jurisdictions.models import Jurisdiction, Membership, Role
from projects.management.commands.seed_demo import ROLE_LOGINS
from projects.models import PHASE_LABELS, Phase, Project
from projects.plans.models import PlanStatus
from tests.conftest import client_for
from tests.projects.dashboard.helpers import rows, text_of
from tests.projects.dashboard.test_dashboard import FINANCE_HEADINGS, OVERVIEW_HEADINGS, STAFF_HEADINGS

HEADINGS = {
    Role.REVIEWER: OVERVIEW_HEADINGS,
    Role.JURISDICTION_ADMIN: OVERVIEW_HEADINGS,
    Role.AUDITOR: OVERVIEW_HEADINGS,
    Role.SECURITY_REVIEWER: OVERVIEW_HEADINGS,
    Role.FINANCE_OFFICER: FINANCE_HEADINGS,
    Role.DEPARTMENT_STAFF: STAFF_HEADINGS,
    Role.EXPERT: ("您的角色没有统计看板",),
}


def english_statuses() -> set[str]:
    """The English of every status a dashboard shows: none may reach a Chinese page."""
    with translation.override("en"):
        return {str(choice.label) for choices in (Phase, OmStatus, PlanStatus) for choice in choices}


def _phase_counts(projects) -> dict[str, int]:
    return {
        str(PHASE_LABELS[phase]): n for phase, n in Counter(projects.values_list("phase", flat=True)).items()
    }


@pytest.mark.django_db
def test_every_role_of_every_demo_jurisdiction_gets_its_dashboard_in_chinese():
    call_command("load_rulepacks")
    call_command("seed_demo")
    users = get_user_model().objects
    statuses = english_statuses()
    assert "In operation" in statuses
    for jurisdiction in Jurisdiction.objects.all():
        code = jurisdiction.code
        for role, suffix in ROLE_LOGINS.items():
            user = users.get(username=f"{code}_{suffix}")
            browser = Client()
            browser.force_login(user)
            response = browser.get("/dashboard/")
            assert response.status_code == 200, (code, role)
            page = response.content.decode()
            text = text_of(page)
            for heading in HEADINGS[role]:
                assert heading in text, (code, role, heading)
            assert not [status for status in statuses if status in text], (code, role)
            # no English word (project codes are upper case): a lower-case run of three letters is one
            assert not re.findall(r"[a-z]{3,}", text), (code, role, re.findall(r"\w*[a-z]{3,}\w*", text))
            assert client_for(user).get("/api/v1/dashboard/").status_code == 200

            if role == Role.REVIEWER:  # the numbers are the demo's own
                mine = Project.objects.filter(jurisdiction=jurisdiction)
                shown = {row[0]: int(row[1]) for row in rows(page, "overview-phase")}
                assert shown == _phase_counts(mine), code
            if role == Role.FINANCE_OFFICER:
                outcomes = {row[0]: int(row[1]) for row in rows(page, "finance-outcomes")}
                waiting = OmApplication.objects.filter(
                    project__jurisdiction=jurisdiction, status=OmStatus.SUBMITTED
                ).count()
                assert outcomes[str(OM_STATUS_LABELS[OmStatus.SUBMITTED])] == waiting, code
            if role == Role.DEPARTMENT_STAFF:
                department = Membership.objects.get(user=user, role=role).department
                shown = {row[0]: int(row[1]) for row in rows(page, "staff-phase")}
                assert shown == _phase_counts(Project.objects.filter(department=department)), code
                listed = rows(page, "staff-projects")
                active = Project.objects.filter(department=department).exclude(
                    phase__in=["rejected", "terminated", "decommissioned"]
                )
                assert sorted(row[0] for row in listed) == sorted(active.values_list("code", flat=True))
                assert all(row[3] for row in listed), code
