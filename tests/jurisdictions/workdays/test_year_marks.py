"""A year marked complete is the marking jurisdiction's own (CalendarYear.jurisdiction): 鄂尔多斯 marking
2027 does not make 包头's 2027 deadlines certain; a national mark (a superuser's) makes everyone's. The two
unique constraints, the caches, the admin site, the API and the page follow.

2027 is not in chinesecalendar 1.11 (tests/jurisdictions/test_calendar.py checks it).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govproj.errors import InvalidTransition, NotFound, NotPermitted
from jurisdictions.models import CalendarYear, Role
from jurisdictions.selectors import add_working_days, working_calendar
from jurisdictions.workdays import services
from jurisdictions.workdays.selectors import (
    YearStatus,
    banner_years,
    completed_years,
    incomplete_years,
    year_view,
)
from security.models import SecurityEvent
from tests.conftest import admin_site_client, client_for
from tests.factories import MembershipFactory
from tests.jurisdictions.workdays.conftest import browser

pytestmark = pytest.mark.django_db
NEW_YEARS_EVE = dt.date(2026, 12, 31)
FRIDAY = dt.date(2027, 1, 1)


@pytest.fixture
def ordos(pack_tenant):
    return pack_tenant("ordos")


@pytest.fixture
def baotou(pack_tenant):
    return pack_tenant("baotou")


def admin_of(tenant):
    return tenant.users[Role.JURISDICTION_ADMIN]


def certain(jurisdiction) -> bool:
    """Whether a deadline counted into 2027 on the jurisdiction's calendar is certain."""
    return add_working_days(NEW_YEARS_EVE, 1, jurisdiction).certain


def mark(actor, jurisdiction, year=2027, **kwargs):
    return services.calendar_year_mark(actor=actor, jurisdiction=jurisdiction, year=year, **kwargs)


def unmark(actor, jurisdiction, year=2027):
    services.calendar_year_unmark(actor=actor, jurisdiction=jurisdiction, year=year)


# ---------------------------------------------------------------------------- whose mark counts


def test_ordos_marking_2027_does_not_make_baotous_2027_certain(ordos, baotou):
    day = dt.date(2027, 5, 6)
    row = mark(admin_of(ordos), ordos.jurisdiction, notes="国办发明电〔2026〕8号")
    assert (row.jurisdiction, row.year) == (ordos.jurisdiction, 2027)

    assert certain(ordos.jurisdiction)
    assert not certain(baotou.jurisdiction)
    assert add_working_days(NEW_YEARS_EVE, 1, baotou.jurisdiction).unknown_years == (2027,)
    assert not certain(None)  # nor the national calendar
    assert incomplete_years(ordos.jurisdiction, [day]) == ()
    assert incomplete_years(baotou.jurisdiction, [day]) == (2027,)
    assert incomplete_years(None, [day]) == (2027,)
    assert year_view(ordos.jurisdiction, 2027).status is YearStatus.COMPLETE
    assert year_view(baotou.jurisdiction, 2027).status is YearStatus.INCOMPLETE
    assert year_view(None, 2027).status is YearStatus.INCOMPLETE
    today = dt.date(2026, 11, 24)
    assert banner_years(admin_of(ordos), today) == ()
    assert banner_years(admin_of(baotou), today) == (2027,)
    # baotou marks its own 2027 in turn: two rows for one year, one per jurisdiction
    mark(admin_of(baotou), baotou.jurisdiction)
    assert certain(baotou.jurisdiction)
    assert CalendarYear.objects.filter(year=2027).count() == 2
    # ordos takes its mark back: baotou's stays
    unmark(admin_of(ordos), ordos.jurisdiction)
    assert not certain(ordos.jurisdiction) and certain(baotou.jurisdiction)
    marks = SecurityEvent.objects.filter(data__model="jurisdictions.calendaryear")
    assert sorted(marks.values_list("jurisdiction__code", flat=True)) == ["baotou", "ordos", "ordos"]


def test_a_national_mark_makes_2027_certain_in_every_jurisdiction(ordos, baotou, superuser):
    row = mark(superuser, None)
    assert row.jurisdiction is None
    assert certain(ordos.jurisdiction) and certain(baotou.jurisdiction) and certain(None)
    assert incomplete_years(baotou.jurisdiction, [FRIDAY]) == ()
    assert banner_years(admin_of(baotou), dt.date(2026, 11, 24)) == ()
    view = year_view(baotou.jurisdiction, 2027)
    assert view.status is YearStatus.COMPLETE and view.marked_nationally_only and view.entry == row

    # the national mark is not a jurisdiction admin's to add to or take back
    for attempt in (mark, unmark):
        with pytest.raises(InvalidTransition) as refused:
            attempt(admin_of(ordos), ordos.jurisdiction)
        assert refused.value.extra["allowed"] == []
    with pytest.raises(NotPermitted):
        unmark(admin_of(ordos), None)
    assert list(CalendarYear.objects.values_list("jurisdiction", flat=True)) == [None]

    unmark(superuser, None)
    assert not certain(ordos.jurisdiction) and not certain(baotou.jurisdiction)


def test_an_own_mark_under_a_national_one_can_be_taken_back_and_the_year_stays_complete(
    ordos, baotou, superuser
):
    mark(admin_of(ordos), ordos.jurisdiction)
    mark(superuser, None)  # later, the platform marks it for everyone
    view = year_view(ordos.jurisdiction, 2027)
    assert view.own_mark.jurisdiction == ordos.jurisdiction and view.national_mark.jurisdiction is None
    assert view.national_mark_stays and not view.marked_nationally_only
    unmark(admin_of(ordos), ordos.jurisdiction)
    assert certain(ordos.jurisdiction)  # the national mark still counts
    # ordos took its own back before: without the national mark 2027 is open again for ordos
    unmark(superuser, None)
    assert not certain(ordos.jurisdiction)
    # a national mark taken back leaves the jurisdictions' own marks alone
    mark(admin_of(baotou), baotou.jurisdiction)
    mark(superuser, None)
    unmark(superuser, None)
    assert certain(baotou.jurisdiction) and not certain(ordos.jurisdiction)


def test_a_superuser_marks_a_chosen_jurisdictions_year(ordos, baotou, superuser):
    row = mark(superuser, baotou.jurisdiction)
    assert row.jurisdiction == baotou.jurisdiction
    assert certain(baotou.jurisdiction) and not certain(ordos.jurisdiction) and not certain(None)
    unmark(superuser, baotou.jurisdiction)
    assert not CalendarYear.objects.exists()


def test_another_jurisdictions_admin_cannot_mark_or_unmark_it(ordos, baotou):
    mark(admin_of(ordos), ordos.jurisdiction)
    with pytest.raises(NotFound):
        unmark(admin_of(baotou), ordos.jurisdiction)
    with pytest.raises(NotFound):
        mark(admin_of(baotou), ordos.jurisdiction, year=2028)
    assert CalendarYear.objects.get().jurisdiction == ordos.jurisdiction


# ---------------------------------------------------------------------------- the two constraints


def test_one_national_mark_per_year(ordos):
    CalendarYear.objects.create(year=2027)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarYear.objects.create(year=2027)
    with pytest.raises(ValidationError) as invalid:
        CalendarYear(year=2027).full_clean()  # what the admin form shows
    assert invalid.value.messages == ["该年度已在全国范围标记为录入完整。"]
    CalendarYear.objects.create(year=2028)
    CalendarYear.objects.create(jurisdiction=ordos.jurisdiction, year=2027)  # a local mark besides
    assert CalendarYear.objects.count() == 3


def test_one_mark_per_jurisdiction_and_year(ordos, baotou):
    CalendarYear.objects.create(jurisdiction=ordos.jurisdiction, year=2027)
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarYear.objects.create(jurisdiction=ordos.jurisdiction, year=2027)
    with pytest.raises(ValidationError) as invalid:
        CalendarYear(jurisdiction=ordos.jurisdiction, year=2027).full_clean()
    assert invalid.value.messages == ["该行政区划已将该年度标记为录入完整。"]
    CalendarYear.objects.create(jurisdiction=baotou.jurisdiction, year=2027)
    CalendarYear.objects.create(jurisdiction=ordos.jurisdiction, year=2028)
    CalendarYear(year=2027).full_clean()  # the national mark is still free
    assert CalendarYear.objects.count() == 3


# ---------------------------------------------------------------------------- caches and queries


def test_a_mark_reaches_the_cached_calendars_of_its_jurisdiction_only(
    ordos, baotou, committed, django_assert_num_queries
):
    with committed():
        CalendarYear.objects.create(year=2030)  # settles the calendar stamp
    for tenant in (ordos, baotou):
        working_calendar(tenant.jurisdiction)
    with django_assert_num_queries(0):
        assert not certain(ordos.jurisdiction) and not certain(baotou.jurisdiction)
    with committed():
        mark(admin_of(ordos), ordos.jurisdiction)
    assert certain(ordos.jurisdiction)
    with django_assert_num_queries(2):  # read afresh once (its days, its marks) ...
        assert not certain(baotou.jurisdiction)
    with django_assert_num_queries(0):  # ... then served from the cache again
        assert not certain(baotou.jurisdiction) and certain(ordos.jurisdiction)


def test_complete_years_of_several_jurisdictions_take_one_query(ordos, baotou, superuser, committed):
    with committed():
        mark(superuser, None, year=2030)
        mark(admin_of(ordos), ordos.jurisdiction, year=2027)
        mark(admin_of(baotou), baotou.jurisdiction, year=2028)
    with CaptureQueriesContext(connection) as captured:
        assert completed_years(None) == {2030}
        assert completed_years(ordos.jurisdiction) == {2027, 2030}
        assert completed_years(baotou.jurisdiction.pk) == {2028, 2030}
    assert len(captured) == 1  # every mark in one query, kept under the settled calendar stamp
    with CaptureQueriesContext(connection) as again:
        completed_years(ordos.jurisdiction)
        completed_years(baotou.jurisdiction)
    assert len(again) == 0


def test_the_banner_of_an_admin_of_two_jurisdictions_names_the_years_open_in_either(ordos, baotou):
    admin = admin_of(ordos)
    MembershipFactory(user=admin, jurisdiction=baotou.jurisdiction, role=Role.JURISDICTION_ADMIN)
    mark(admin, ordos.jurisdiction, year=2027)
    today = dt.date(2027, 3, 1)
    assert banner_years(admin, today) == (2027, 2028)  # 2027 is still open in baotou
    mark(admin, baotou.jurisdiction, year=2027)
    assert banner_years(admin, today) == (2028,)


# ---------------------------------------------------------------------------- admin site, API, page


def test_the_admin_site_shows_national_and_own_marks_and_changes_only_own(ordos, baotou):
    national = CalendarYear.objects.create(year=2027, notes="全国")
    own = CalendarYear.objects.create(jurisdiction=ordos.jurisdiction, year=2028, notes="本地")
    other = CalendarYear.objects.create(jurisdiction=baotou.jurisdiction, year=2029, notes="别处")
    client = admin_site_client(ordos)
    listing = client.get("/admin/jurisdictions/calendaryear/")
    assert listing.status_code == 200
    rows = listing.content.decode()
    assert "全国" in rows and "本地" in rows and "别处" not in rows
    assert client.get(f"/admin/jurisdictions/calendaryear/{other.pk}/change/").status_code == 302
    client.post(f"/admin/jurisdictions/calendaryear/{national.pk}/change/", {"year": 2027, "notes": "改"})
    client.post(f"/admin/jurisdictions/calendaryear/{own.pk}/delete/", {"post": "yes"})
    national.refresh_from_db()
    assert national.notes == "全国" and CalendarYear.objects.filter(pk=own.pk).exists()  # view right only


def test_the_api_marks_the_jurisdictions_year_or_with_national_the_whole_countrys(ordos, baotou, superuser):
    url = "/api/v1/jurisdictions/{code}/calendar/2027/complete/"
    marked = client_for(admin_of(ordos)).post(url.format(code="ordos"), {"complete": True}, format="json")
    assert marked.status_code == 200 and marked.json()["marked_by"] == "jurisdiction"
    baotou_year = client_for(admin_of(baotou)).get("/api/v1/jurisdictions/baotou/calendar/2027/").json()
    assert (baotou_year["status"], baotou_year["marked_by"]) == ("incomplete", None)
    refused = client_for(admin_of(baotou)).post(
        url.format(code="baotou"), {"complete": True, "national": True}, format="json"
    )
    assert refused.status_code == 403

    root = client_for(superuser)
    national = root.post(url.format(code="baotou"), {"complete": True, "national": True}, format="json")
    assert national.status_code == 200, national.content
    assert (national.json()["jurisdiction"], national.json()["marked_by"]) == (None, "national")
    baotou_year = client_for(admin_of(baotou)).get("/api/v1/jurisdictions/baotou/calendar/2027/").json()
    assert (baotou_year["status"], baotou_year["marked_by"]) == ("complete", "national")
    not_theirs = client_for(admin_of(baotou)).post(
        url.format(code="baotou"), {"complete": False}, format="json"
    )
    assert not_theirs.status_code == 409 and not_theirs.json()["allowed"] == []
    # without `national` a superuser marks the jurisdiction in the path
    assert root.post(url.format(code="ordos"), {"complete": False}, format="json").status_code == 200
    assert list(CalendarYear.objects.values_list("jurisdiction", flat=True)) == [None]


def test_the_page_says_whose_mark_it_is(ordos, baotou, superuser):
    year = reverse("calendar:year", args=[2027])
    ordos_page = browser(admin_of(ordos)).get(year).content.decode()
    assert "鄂尔多斯市本年度的法定节假日和调休上班日均已录入" in ordos_page
    assert "其他行政区划不受影响" in ordos_page and "各行政区划" not in ordos_page
    national_page = browser(superuser).get(year).content.decode()
    assert "本年度全国的法定节假日和调休上班日均已录入" in national_page and "各行政区划" in national_page

    response = browser(admin_of(ordos)).post(reverse("calendar:mark", args=[2027]), {"confirm": "on"})
    assert response.status_code == 302
    ordos_page = browser(admin_of(ordos)).get(year).content.decode()
    assert "为鄂尔多斯市标记为录入完整" in ordos_page and "撤销完整标记" in ordos_page
    baotou_page = browser(admin_of(baotou)).get(year).content.decode()
    assert "尚未完整录入" in baotou_page and "标记为录入完整</button>" in baotou_page

    assert (
        browser(superuser).post(reverse("calendar:mark", args=[2027]), {"confirm": "on"}).status_code == 302
    )
    baotou_page = browser(admin_of(baotou)).get(year).content.decode()
    assert "在全国范围标记为录入完整" in baotou_page and "只有平台管理员可以撤销" in baotou_page
    assert "撤销完整标记" not in baotou_page  # not theirs to take back
    ordos_page = browser(admin_of(ordos)).get(year).content.decode()
    assert "撤销鄂尔多斯市自己的标记" in ordos_page  # its own mark, with the national one besides
    refused = browser(admin_of(baotou)).post(reverse("calendar:unmark", args=[2027]), {"confirm": "on"})
    assert refused.status_code == 409 and "只有平台管理员可以撤销该标记" in refused.content.decode()
