"""Requesting a report and retrying a failed one (the task builds it: projects.reports.builder).

`report_request` checks that the kind exists (400), that the person may use it (403) and sees what
it is about (404), and that the subject can be printed now (409, listing what can); then it stores
a queued report pinned to the rule-pack version it will apply, writes the project's audit event,
and queues the build once the transaction commits. A second request for a report of the same kind
and subject while one is being built gets that one: two builds of one report never race.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from govproj import inputs
from govproj.errors import InvalidTransition, NotPermitted
from jurisdictions.selectors import jurisdiction_for, rule_pack
from projects.records import locked_project, record_event
from projects.reports.kinds import KINDS, ReportKind, Subject, kind_of
from projects.reports.models import ACTIVE, Report, ReportStatus
from projects.reports.selectors import may_use, report_for


def _kind(code) -> ReportKind:
    kind = kind_of(code) if isinstance(code, str) else None
    if kind is None:
        raise inputs.invalid("kind", _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(sorted(KINDS))})
    return kind


def _subject(kind: ReportKind, subjects: list[Subject], key) -> Subject:
    """The chosen subject among the printable ones; with only one, it need not be named."""
    key = "" if key is None else key
    if not isinstance(key, str):
        raise inputs.invalid("subject", _("Give a subject as text."))
    if not key and len(subjects) == 1:
        return subjects[0]
    for subject in subjects:
        if subject.key == key:
            return subject
    if not subjects:
        message = str(kind.unavailable) or _("There is nothing to print for this yet.")
    else:
        message = _("This cannot be printed now; choose one of: %(subjects)s.") % {
            "subjects": "、".join(s.label for s in subjects)
        }
    raise InvalidTransition(message, extra={"allowed": [s.key for s in subjects]})


def _enqueue(report_id: int) -> None:
    from projects.reports.tasks import build_report

    transaction.on_commit(lambda: build_report.delay(report_id))


def _title(kind: ReportKind, subject: Subject, project, place) -> str:
    """The report's title as printed: the project's, or the jurisdiction's and the subject's."""
    about = project.title if project is not None else f"{place.name_zh}{subject.label}"
    return f"{about} · {kind.label}"[:300]


@transaction.atomic
def report_request(*, actor, kind, project_id=None, jurisdiction=None, subject=None) -> Report:
    """Queue a report of `kind` about `subject` of a project (project kinds, or a jurisdiction kind
    offered on the project page) or of a jurisdiction (`jurisdiction`: its code).

    The report returned has `joined` True when it is one already being prepared (no new row)."""
    with translation.override(settings.LANGUAGE_CODE):  # the labels stored and printed are Chinese
        return _request(actor, _kind(kind), project_id, jurisdiction, subject)


def _request(actor, kind: ReportKind, project_id, jurisdiction, subject) -> Report:
    project = None
    if project_id not in (None, ""):
        project = locked_project(actor, project_id)  # not visible: 404
        place = project.jurisdiction
        if not may_use(actor, kind, place.pk):
            raise NotPermitted(_("Your role does not allow this report."))
        if kind.scope == "project":
            subjects = kind.subjects(actor, project)
        elif kind.project_subjects is not None:
            subjects = kind.project_subjects(actor, project)
        else:
            raise inputs.invalid("project", _("This report is a jurisdiction's; give the jurisdiction."))
    else:
        if kind.scope == "project":
            raise inputs.invalid("project", _("Give the project this report is about."))
        code = jurisdiction if isinstance(jurisdiction, str) else ""
        if not code:
            raise inputs.invalid("jurisdiction", _("Give the jurisdiction."))
        place = jurisdiction_for(actor, code)  # not a member: 404
        if not may_use(actor, kind, place.pk):
            raise NotPermitted(_("Your role does not allow this report."))
        subjects = kind.subjects(actor, place)
    chosen = _subject(kind, subjects, subject)
    pack = chosen.rule_pack or (project.rule_pack if project is not None else rule_pack(place))
    if kind.scope == "jurisdiction":
        project = None  # the plan table or pack summary is the jurisdiction's, from wherever it is asked
    running = Report.objects.filter(
        jurisdiction=place, kind=kind.code, subject_key=chosen.key, status__in=ACTIVE
    ).first()
    if running is not None:
        running.joined = True
        return running
    try:
        with transaction.atomic():
            report = Report.objects.create(
                jurisdiction=place,
                project=project,
                kind=kind.code,
                subject_key=chosen.key,
                subject_label=chosen.label[:300],
                title=_title(kind, chosen, project, place),
                document_number=chosen.number,
                rule_pack=pack,
                requested_by=actor,
                attempts=1,
            )
    except IntegrityError:  # another request won the race: join it
        running = Report.objects.get(
            jurisdiction=place, kind=kind.code, subject_key=chosen.key, status__in=ACTIVE
        )
        running.joined = True
        return running
    if not report.document_number:
        year = timezone.localdate().year
        report.document_number = f"{place.name_zh}政务信息化报〔{year}〕{report.pk}号"[:100]
        report.save(update_fields=["document_number"])
    if project is not None:
        record_event(
            project,
            actor,
            "report_requested",
            report=report.pk,
            kind=kind.code,
            title=report.title,
            subject=chosen.key,
            rule_pack_version=pack.version if pack else None,
        )
    _enqueue(report.pk)
    report.joined = False
    return report


@transaction.atomic
def report_retry(*, actor, report_id) -> Report:
    """A failed report is queued again (its pack version kept); anything else: 409."""
    seen = report_for(actor, report_id)  # not visible: 404
    kind = kind_of(seen.kind)
    if kind is None or not may_use(actor, kind, seen.jurisdiction_id):
        raise NotPermitted(_("Your role does not allow this report."))
    report = Report.objects.select_for_update().get(pk=seen.pk)
    if report.status != ReportStatus.FAILED:
        raise InvalidTransition(
            _("Only a failed report is tried again; this one is %(status)s.")
            % {"status": report.status_label()},
            extra={"status": report.status, "allowed": []},
        )
    report.status = ReportStatus.QUEUED
    report.progress = 0
    report.step = ""
    report.error = ""
    report.attempts += 1
    report.finished_at = None
    try:
        with transaction.atomic():
            report.save(
                update_fields=["status", "progress", "step", "error", "attempts", "finished_at", "updated_at"]
            )
    except IntegrityError:  # the same report (kind and subject) is being built already
        raise InvalidTransition(
            _("The same report is being prepared already."), extra={"status": "failed", "allowed": []}
        ) from None
    _enqueue(report.pk)
    return report
