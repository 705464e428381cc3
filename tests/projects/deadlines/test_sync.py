"""Stored deadlines follow the project's records, after commit (issue 11 §1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from jurisdictions.models import Role
from projects.deadlines.models import Deadline, DeadlineStatus
from projects.deadlines.sync import deadlines_sync
from projects.models import Phase, Project
from projects.records import record_facts
from tests.acceptance.evaluation.helpers import first_category
from tests.conftest import advance, make_project

pytestmark = pytest.mark.django_db
REPORT = "laizhou.construction.performance_report_due"


@pytest.fixture
def laizhou(pack_tenant):
    return pack_tenant("laizhou")


def _building(tenant, on=dt.date(2026, 3, 2)):
    project = make_project(tenant, category="digital_infrastructure", facts=None)
    return advance(project, "in_construction", on=on)


def test_the_yearly_report_is_stored_with_its_article_and_who_owes_it(laizhou):
    project = _building(laizhou)
    deadlines_sync(project.pk, today=dt.date(2026, 11, 24))
    row = Deadline.objects.get(project=project, rule_id=REPORT)
    assert (row.due_date, row.status, row.article) == (
        dt.date(2026, 12, 31),
        DeadlineStatus.OPEN,
        "第二十四条",
    )
    assert (row.responsible_role, row.responsible_department_id) == (
        Role.DEPARTMENT_STAFF,
        project.department_id,
    )
    assert row.certain and row.remind
    assert row.title_zh == "建设期内每年年底前提交绩效评价报告"
    assert row.rule_pack_id == project.rule_pack_id


def test_meeting_the_duty_marks_it_met_and_a_missed_one_is_overdue(laizhou):
    project = _building(laizhou)
    deadlines_sync(project.pk, today=dt.date(2027, 1, 5))
    assert Deadline.objects.get(project=project, rule_id=REPORT).status == DeadlineStatus.OVERDUE
    with transaction.atomic():
        record_facts(
            Project.objects.select_for_update().get(pk=project.pk), {"progress_report_date": "2027-01-04"}
        )
    deadlines_sync(project.pk, today=dt.date(2027, 1, 5))
    row = Deadline.objects.get(project=project, rule_id=REPORT)
    assert (row.status, row.done_on) == (DeadlineStatus.MET, dt.date(2027, 1, 4))
    assert row.due_date == dt.date(2027, 12, 31)  # the engine counts it for the year it was filed in


def test_a_waived_deadline_keeps_its_waiver(laizhou):
    project = _building(laizhou)
    deadlines_sync(project.pk, today=dt.date(2026, 11, 24))
    Deadline.objects.filter(project=project).update(status=DeadlineStatus.WAIVED, waived_reason="项目暂停")
    deadlines_sync(project.pk, today=dt.date(2027, 1, 5))
    assert set(Deadline.objects.filter(project=project).values_list("status", flat=True)) == {"waived"}


def test_an_ended_project_owes_nothing(laizhou):
    project = _building(laizhou)
    deadlines_sync(project.pk, today=dt.date(2026, 11, 24))
    assert Deadline.objects.filter(project=project).exists()
    Project.objects.filter(pk=project.pk).update(phase=Phase.TERMINATED)
    assert deadlines_sync(project.pk)["deleted"] >= 1
    assert not Deadline.objects.filter(project=project).exists()


def test_the_approvers_clock_is_the_reviewers(pack_tenant):
    hongshan = pack_tenant("hongshan")
    project = make_project(hongshan, category=first_category(hongshan), facts=None)
    project = advance(project, "in_review", on=dt.date(2026, 11, 2))
    with transaction.atomic():
        record_facts(
            Project.objects.select_for_update().get(pk=project.pk),
            {"review_passed_date": "2026-11-20", "prerequisites_complete_date": "2026-11-18"},
        )
    deadlines_sync(project.pk, today=dt.date(2026, 11, 24))
    row = Deadline.objects.get(project=project, rule_id="hongshan.review.approval_deadline")
    assert row.responsible_role == Role.REVIEWER
    assert row.responsible_name == "项目审批部门"
    assert row.due_date == dt.date(2026, 12, 1)  # 7 working days after 11-20


def test_records_resync_after_commit_once_per_transaction(laizhou, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        project = make_project(laizhou, category="digital_infrastructure", facts=None)
        advance(project, "in_construction")
    syncs = [c for c in callbacks if getattr(c, "deadline_project", None) == project.pk]
    assert len(syncs) == 1  # the events of one transaction, one sync
    assert Deadline.objects.filter(project=project, rule_id=REPORT).exists()


def test_nothing_is_synced_when_the_transaction_rolls_back(laizhou, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                project = make_project(laizhou, category="digital_infrastructure", facts=None)
                advance(project, "in_construction")
                raise RuntimeError
        except RuntimeError:
            pass
    assert not [c for c in callbacks if getattr(c, "deadline_project", None)]


def test_a_calendar_edit_resyncs_running_deadlines(pack_tenant, django_capture_on_commit_callbacks):
    from jurisdictions.models import CalendarDay

    hongshan = pack_tenant("hongshan")
    project = advance(make_project(hongshan, category=first_category(hongshan), facts=None), "in_review")
    with transaction.atomic():
        record_facts(
            Project.objects.select_for_update().get(pk=project.pk),
            {"review_passed_date": "2026-12-24", "prerequisites_complete_date": "2026-12-24"},
        )
    deadlines_sync(project.pk, today=dt.date(2026, 12, 25))
    row = Deadline.objects.get(project=project, rule_id="hongshan.review.approval_deadline")
    assert row.due_date == dt.date(2027, 1, 4) and not row.certain  # 2027 is not entered: Mon–Fri
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(
            jurisdiction=hongshan.jurisdiction, date=dt.date(2027, 1, 1), is_working_day=False
        )
    row.refresh_from_db()
    assert row.due_date == dt.date(2027, 1, 5)  # 元旦 off: one working day later
