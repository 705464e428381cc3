"""Facts derived from records (ARCHITECTURE.md "Facts come from records"): plan year, declaration."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from projects import selectors
from projects.selectors import project_facts
from tests.conftest import make_project


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.mark.django_db
def test_the_plan_year_and_the_first_declaration_are_facts(alpha):
    project = make_project(alpha, year=2027, facts={})
    facts = project_facts(project, events=[("declare", at(dt.date(2026, 7, 15)))])
    assert facts["planned_year_start_date"] == dt.date(2027, 1, 1)
    assert facts["plan_submitted_date"] == facts["declaration_date"] == dt.date(2026, 7, 15)
    resubmitted = project_facts(
        project,
        events=[
            ("declare", at(dt.date(2026, 5, 1))),
            ("return_for_revision", at(dt.date(2026, 5, 8))),
        ],
    )
    assert resubmitted["plan_submitted_date"] == dt.date(2026, 5, 1)  # a return keeps the first submission


@pytest.mark.django_db
def test_a_withdrawn_declaration_did_not_happen(alpha):
    project = make_project(alpha, year=2027, facts={})
    events = [
        ("declare", at(dt.date(2026, 5, 1))),
        ("withdraw", at(dt.date(2026, 5, 2))),
        ("declare", at(dt.date(2026, 8, 3))),
    ]
    facts = project_facts(project, events=events)
    assert facts["plan_submitted_date"] == facts["declaration_date"] == dt.date(2026, 8, 3)
    assert "declaration_date" not in project_facts(project, events=events[:2])


@pytest.mark.django_db
def test_an_imported_fact_still_wins_over_the_derived_one(alpha):
    project = make_project(alpha, year=2027, facts={"plan_submitted_date": "2026-06-01"})
    facts = project_facts(project, events=[("declare", at(dt.date(2026, 7, 15)))])
    assert facts["plan_submitted_date"] == dt.date(2026, 6, 1)
    assert facts["declaration_date"] == dt.date(2026, 7, 15)


@pytest.mark.django_db
def test_a_year_out_of_the_calendar_derives_no_date(alpha):
    project = make_project(alpha, year=2026, facts={})
    project.year = 99999
    assert "planned_year_start_date" not in project_facts(project, events=[])


def test_a_record_event_sets_a_dated_fact_a_later_one_moves_it_and_a_reset_undoes_it(alpha, monkeypatch):
    """Phase records register their events (projects.selectors): the 7-working-day clock counts from the
    latest review passed, and a round returned for revision must pass again."""

    monkeypatch.setitem(selectors.TRANSITION_DATE_FACTS, "test_review_pass", ("review_passed_date",))
    monkeypatch.setattr(selectors, "LATEST_EVENT_FACTS", {"review_passed_date"})
    monkeypatch.setitem(selectors.EVENT_RESETS, "test_round_return", ("review_passed_date",))
    project = make_project(alpha)
    events = []

    def happened(action, day):
        events.append((action, timezone.make_aware(dt.datetime.combine(day, dt.time(10)))))
        return selectors.project_facts(project, events=events).get("review_passed_date")

    assert happened("test_review_pass", dt.date(2026, 9, 28)) == dt.date(2026, 9, 28)
    assert happened("test_review_pass", dt.date(2026, 9, 29)) == dt.date(2026, 9, 29)
    assert happened("test_round_return", dt.date(2026, 9, 30)) is None
    assert "test_review_pass" in selectors.dated_actions()  # read from the audit trail with the others
