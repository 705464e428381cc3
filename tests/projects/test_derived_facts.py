"""Facts derived from records (ARCHITECTURE.md "Facts come from records"): plan year, declaration."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

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
