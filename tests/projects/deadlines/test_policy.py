"""提醒设置: a jurisdiction's administrators set its reminder policy on a page and through the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jurisdictions.models import Role
from projects.deadlines.models import ReminderPolicy
from security.models import SecurityEvent
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_admin_sets_the_reminders_on_the_page(alpha):
    admin = alpha.users[Role.JURISDICTION_ADMIN]
    browser = _browser(admin)
    url = reverse("projects:reminder-policy")
    page = browser.get(url)
    assert page.status_code == 200 and "提醒设置" in page.content.decode()
    reviewer = alpha.users[Role.REVIEWER]
    done = browser.post(
        url,
        {"lead_days": "10，3, 0", "overdue_every": "3", "escalate_after": "8", "reviewer_lead": reviewer.pk},
    )
    assert done.status_code == 302
    row = ReminderPolicy.objects.get(jurisdiction=alpha.jurisdiction)
    assert (row.lead_days, row.overdue_every, row.escalate_after, row.reviewer_lead) == (
        [10, 3, 0],
        3,
        8,
        reviewer,
    )
    assert SecurityEvent.objects.filter(actor=admin, data__via="reminders").exists()


@pytest.mark.parametrize(
    "body",
    [
        {"lead_days": "abc", "overdue_every": "3", "escalate_after": "8"},
        {"lead_days": "99", "overdue_every": "3", "escalate_after": "8"},
        {"lead_days": "1,2,3,4,5,6,7", "overdue_every": "3", "escalate_after": "8"},
        {"lead_days": "5", "overdue_every": "0", "escalate_after": "8"},
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(alpha, body):
    response = _browser(alpha.users[Role.JURISDICTION_ADMIN]).post(reverse("projects:reminder-policy"), body)
    assert response.status_code == 400
    assert not ReminderPolicy.objects.exists()


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.DEPARTMENT_STAFF, Role.FINANCE_OFFICER])
def test_other_roles_may_not(alpha, role):
    assert _browser(alpha.users[role]).get(reverse("projects:reminder-policy")).status_code == 403


def test_the_api_reads_and_sets_and_keeps_tenants_apart(alpha, beta):
    url = "/api/v1/jurisdictions/alpha/reminders/"
    assert client_for(alpha.users[Role.REVIEWER]).get(url).json()["lead_days"] == [5, 2, 0]
    admin = client_for(alpha.users[Role.JURISDICTION_ADMIN])
    body = {"lead_days": [3, 1], "overdue_every": 2, "escalate_after": 5, "reviewer_lead": None}
    assert admin.put(url, body, format="json").json()["lead_days"] == [3, 1]
    assert client_for(beta.users[Role.JURISDICTION_ADMIN]).put(url, body, format="json").status_code == 404
    assert client_for(alpha.users[Role.REVIEWER]).put(url, body, format="json").status_code == 403
    bad = admin.put(url, {**body, "reviewer_lead": alpha.users[Role.DEPARTMENT_STAFF].pk}, format="json")
    assert bad.status_code == 400 and "reviewer_lead" in bad.json()["errors"]
