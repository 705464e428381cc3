"""The calendar-upkeep API: a year's days, a day toggled, a year marked complete and back; 403 for other
roles, 404 for another jurisdiction, 400 for bad years, dates and bodies (never a 500)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jurisdictions.models import CalendarDay, CalendarYear, Role
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
YEAR = "/api/v1/jurisdictions/{code}/calendar/{year}/"


def url(code="alpha", year=2027, action=""):
    return YEAR.format(code=code, year=year) + (f"{action}/" if action else "")


def admin_api(tenant):
    return client_for(tenant.users[Role.JURISDICTION_ADMIN])


def test_a_years_days(alpha):
    CalendarDay.objects.create(
        jurisdiction=alpha.jurisdiction, date=dt.date(2027, 1, 4), is_working_day=False
    )
    body = admin_api(alpha).get(url()).json()
    assert (body["jurisdiction"], body["year"], body["status"], body["editable"]) == (
        "alpha",
        2027,
        "incomplete",
        True,
    )
    assert len(body["days"]) == 365
    days = {day["date"]: day for day in body["days"]}
    assert days["2027-01-01"] == {
        "date": "2027-01-01",
        "working": True,
        "kind": "workday",
        "name": "",
        "national_row": False,
        "editable": True,
    }
    assert days["2027-01-02"]["kind"] == "weekend"
    assert (days["2027-01-04"]["kind"], days["2027-01-04"]["working"]) == ("local", False)
    shipped = admin_api(alpha).get(url(year=2026)).json()
    assert shipped["status"] == "known"
    assert {k: v for k, v in shipped["days"][0].items() if k != "editable"} == {
        "date": "2026-01-01",
        "working": False,
        "kind": "holiday",
        "name": "元旦",
        "national_row": False,
    }


def test_toggle_a_day_on_and_off(alpha):
    client = admin_api(alpha)
    added = client.post(url(action="toggle"), {"date": "2027-01-01", "name": "元旦"}, format="json")
    assert added.status_code == 200, added.content
    assert added.json() == {
        "change": "added",
        "day": {
            "date": "2027-01-01",
            "working": False,
            "kind": "local",
            "name": "元旦",
            "national_row": False,
            "editable": True,
        },
    }
    removed = client.post(url(action="toggle"), {"date": "2027-01-01"}, format="json")
    assert removed.json()["change"] == "removed" and removed.json()["day"]["kind"] == "workday"
    assert not CalendarDay.objects.exists()


def test_superusers_toggle_national_days(alpha, superuser):
    response = client_for(superuser).post(
        url(action="toggle"), {"date": "2027-02-06", "name": "春节调休", "national": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["day"]["kind"] == "makeup"
    assert CalendarDay.objects.get().jurisdiction is None
    national = client_for(superuser).get(url(), {"national": "true"}).json()
    assert national["jurisdiction"] is None
    refused = admin_api(alpha).post(
        url(action="toggle"), {"date": "2027-01-01", "national": True}, format="json"
    )
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    shipped = client_for(superuser).post(
        url(year=2026, action="toggle"), {"date": "2026-07-01", "national": True}, format="json"
    )
    assert shipped.status_code == 409 and shipped.json()["allowed"] == []


def test_mark_and_unmark_a_year(alpha):
    client = admin_api(alpha)
    marked = client.post(
        url(action="complete"), {"complete": True, "notes": "国办发明电〔2026〕1号"}, format="json"
    )
    assert marked.status_code == 200 and marked.json()["status"] == "complete"
    assert marked.json()["notes"] == "国办发明电〔2026〕1号" and marked.json()["entered_at"]
    assert marked.json()["marked_by"] == "jurisdiction"
    assert CalendarYear.objects.get().jurisdiction == alpha.jurisdiction
    again = client.post(url(action="complete"), {"complete": True}, format="json")
    assert again.status_code == 409 and again.json()["allowed"] == ["unmark"]
    unmarked = client.post(url(action="complete"), {"complete": False}, format="json")
    assert unmarked.status_code == 200 and unmarked.json()["status"] == "incomplete"
    assert not CalendarYear.objects.exists()
    shipped = client.post(url(year=2026, action="complete"), {"complete": True}, format="json")
    assert shipped.status_code == 409


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.JURISDICTION_ADMIN}))
def test_other_roles_get_403(alpha, role):
    client = client_for(alpha.users[role])
    for response in (
        client.get(url()),
        client.post(url(action="toggle"), {"date": "2027-01-01"}, format="json"),
        client.post(url(action="complete"), {"complete": True}, format="json"),
    ):
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


@pytest.mark.parametrize("code", ["alpha", "nowhere"])
def test_another_jurisdiction_gets_404(alpha, beta, code):
    client = admin_api(beta)
    for response in (
        client.get(url(code)),
        client.post(url(code, action="toggle"), {"date": "2027-01-01"}, format="json"),
        client.post(url(code, action="complete"), {"complete": True}, format="json"),
    ):
        assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("year", ["1999", "2101", "abc", "9" * 5000, "2027.0", "-2027", "２０２７"])
def test_a_bad_year_is_a_400(alpha, year):
    client = admin_api(alpha)
    for response in (
        client.get(url(year=year)),
        client.post(url(year=year, action="toggle"), {"date": "2027-01-01"}, format="json"),
        client.post(url(year=year, action="complete"), {"complete": True}, format="json"),
    ):
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": "2028-01-01"}, "date"),
        ({"date": "2027-02-30"}, "date"),
        ({"date": 20270101}, "date"),
        ({}, "date"),
        ({"date": "2027-01-01", "name": "长" * 101}, "name"),
        ({"date": "2027-01-01", "name": "元\u0000旦"}, None),
        ({"date": "2027-01-01", "name": {"zh": "元旦"}}, "name"),
        ({"date": "2027-01-01", "national": "maybe"}, "national"),
        ({"date": "2027-01-01", "when": "today"}, "when"),
        (["2027-01-01"], None),
    ],
)
def test_a_bad_toggle_is_a_400_naming_the_field(alpha, body, field):
    response = admin_api(alpha).post(url(action="toggle"), body, format="json")
    assert response.status_code == 400, response.content
    if field:
        assert field in response.json()["errors"]
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize(
    "body", [{}, {"complete": "perhaps"}, {"complete": True, "notes": "x" * 301}, [True]]
)
def test_a_bad_completion_is_a_400(alpha, body):
    response = admin_api(alpha).post(url(action="complete"), body, format="json")
    assert response.status_code == 400, response.content
    assert not CalendarYear.objects.exists()


def test_the_year_takes_a_constant_number_of_queries(alpha, committed):
    client = admin_api(alpha)

    def queries() -> int:
        client.get(url())
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url()).status_code == 200
        return len(captured)

    few = queries()
    with committed():
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(
                    jurisdiction=alpha.jurisdiction,
                    date=dt.date(2027, 1, 1) + dt.timedelta(days=n),
                    is_working_day=False,
                )
                for n in range(0, 360, 2)
            ]
        )
    assert queries() == few <= 6
