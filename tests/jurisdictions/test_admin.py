"""The admin site for jurisdiction admins: their own rows only; national calendar rows read-only."""

from __future__ import annotations

import datetime as dt

import pytest

from jurisdictions.models import CalendarDay
from tests.conftest import admin_site_client


@pytest.fixture
def admin_client(alpha, beta):
    return admin_site_client(alpha)


def test_sees_only_own_departments_and_memberships(admin_client, alpha, beta):
    page = admin_client.get("/admin/jurisdictions/department/").content.decode()
    assert alpha.department.name_zh in page and beta.department.name_zh not in page
    url = "/admin/jurisdictions/department/{}/change/"
    assert admin_client.get(url.format(beta.department.pk)).status_code == 302  # "does not exist"
    assert admin_client.get(url.format(alpha.department.pk)).status_code == 200
    members = admin_client.get("/admin/jurisdictions/membership/").content.decode()
    assert "alpha_reviewer" in members and "beta_reviewer" not in members


def test_can_enter_a_local_holiday_for_2027_but_not_change_national_rows(admin_client, alpha):
    national = CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_working_day=False, name="元旦")
    response = admin_client.post(
        "/admin/jurisdictions/calendarday/add/",
        {"jurisdiction": alpha.jurisdiction.pk, "date": "2027-02-06", "is_working_day": "on", "name": "调休"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarDay.objects.filter(jurisdiction=alpha.jurisdiction, date=dt.date(2027, 2, 6)).exists()
    refused = admin_client.post(
        "/admin/jurisdictions/calendarday/add/", {"jurisdiction": "", "date": "2027-02-07", "name": "全国"}
    )
    assert refused.status_code == 200 and not CalendarDay.objects.filter(date=dt.date(2027, 2, 7)).exists()
    change = f"/admin/jurisdictions/calendarday/{national.pk}/change/"
    admin_client.post(change, {"date": "2027-01-01", "name": "x"})
    national.refresh_from_db()
    assert national.name == "元旦"


def test_cannot_add_a_department_to_another_jurisdiction(admin_client, beta):
    response = admin_client.post(
        "/admin/jurisdictions/department/add/",
        {"jurisdiction": beta.jurisdiction.pk, "code": "intruder", "name_zh": "外来", "name_en": "Intruder"},
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not beta.jurisdiction.departments.filter(code="intruder").exists()


def test_rule_pack_versions_are_read_only(admin_client, alpha):
    pack = alpha.jurisdiction.rule_packs.get()
    assert admin_client.get(f"/admin/jurisdictions/rulepack/{pack.pk}/change/").status_code == 200
    assert admin_client.get("/admin/jurisdictions/rulepack/add/").status_code == 403
    delete = f"/admin/jurisdictions/rulepack/{pack.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
