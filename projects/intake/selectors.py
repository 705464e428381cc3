"""Read side of intake review (待审核申报): the reviewer's queue and what a declared project shows.

The queue lists the declared projects a reviewer may see, oldest declaration first. A row's
screening hits, missing library documents and late mark come from one batch evaluation of the
page's projects (`projects.selectors.evaluate_projects`), so a page costs the same few queries
whether it shows one project or fifty.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import DateTimeField, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from govproj.errors import NotPermitted
from govproj.i18n import english, in_language
from jurisdictions.models import Role, memberships_of
from jurisdictions.rules.engine import Verdict
from jurisdictions.rules.schema import Outcome
from projects.models import AuditEvent, Phase, Project
from projects.screening.models import ScreeningAnswer
from projects.screening.selectors import ScreeningItem, screening_items
from projects.selectors import LIST_ROW_COLUMNS, evaluate_projects

# A declaration is the latest of these events: its age counts from there.
DECLARING_ACTIONS = ("declare", "resubmit")
# The rules a queue row reads: what library entry lacks, the screening, the intake window.
QUEUE_KINDS = frozenset({"required_documents", "negative_list", "deadline"})
LIBRARY_ENTRY = "enter_library"
INTAKE = "intake"


def may_see_queue(user) -> bool:
    """Reviewers (of any jurisdiction) and superusers; everyone else has no intake queue."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role == Role.REVIEWER for m in memberships_of(user))


def _reviewed_projects(user) -> QuerySet:
    """Declared projects of the jurisdictions the user reviews."""
    projects = Project.objects.filter(phase=Phase.DECLARED)
    if user.is_superuser:
        return projects
    jurisdictions = sorted({m.jurisdiction_id for m in memberships_of(user) if m.role == Role.REVIEWER})
    return projects.for_user(user).filter(jurisdiction_id__in=jurisdictions)


def queue_projects(*, user) -> QuerySet:
    """The queue as a query, oldest declaration first, each project with `declared_at`.

    NotPermitted for anyone who is not a reviewer: the queue is the reviewer's job.
    """
    if not may_see_queue(user):
        raise NotPermitted()
    latest = (
        AuditEvent.objects.filter(project_id=OuterRef("pk"), action__in=DECLARING_ACTIONS)
        .order_by()
        .values("project_id")
        .annotate(latest=Max("at"))
        .values("latest")
    )
    return (
        _reviewed_projects(user)
        .annotate(declared_at=Coalesce(Subquery(latest, output_field=DateTimeField()), F("created_at")))
        .select_related("jurisdiction", "department")
        .only(*LIST_ROW_COLUMNS)
        .order_by("declared_at", "pk")
    )


@dataclass
class QueueRow:
    """One declared project as the reviewer's queue shows it."""

    project: Project
    declared_at: dt.datetime
    age_days: int
    screening_hits: list[ScreeningItem] = field(default_factory=list)
    missing_documents: list[dict] = field(default_factory=list)  # {code, name}
    late: list[str] = field(default_factory=list)  # what each failed intake deadline says

    @property
    def is_late(self) -> bool:
        return bool(self.late)


def late_messages(verdicts: list[Verdict]) -> list[str]:
    """逾期申报: what each intake deadline the declaration missed says, in the reader's language."""
    return [
        in_language(v.message) or in_language(v.title)
        for v in verdicts
        if v.kind == "deadline" and v.phase == INTAKE and v.outcome == Outcome.FAIL
    ]


def blocking_library_entry(verdicts: list[Verdict]) -> list[Verdict]:
    """The verdicts that stop library entry now (入库), in the pack's order."""
    return [v for v in verdicts if v.blocks_transition(LIBRARY_ENTRY)]


def missing_library_documents(verdicts: list[Verdict]) -> list[dict]:
    """Documents whose absence blocks library entry, each once, named in the reader's language."""
    found: dict[str, dict] = {}
    for verdict in blocking_library_entry(verdicts):
        if verdict.kind != "required_documents":
            continue
        for document in verdict.data.get("missing", ()):
            name = document.get("name_en" if english() else "name_zh") or document["code"]
            found.setdefault(document["code"], {"code": document["code"], "name": name})
    return list(found.values())


def queue_rows(projects: list[Project], *, as_of: dt.date | None = None) -> list[QueueRow]:
    """The rows of a page of `queue_projects`: a fixed number of queries, however many projects."""
    as_of = as_of or timezone.localdate()
    if not projects:
        return []
    ids = [p.pk for p in projects]
    page = Project.objects.filter(pk__in=ids)
    evaluated = {
        e.project.pk: e for e in evaluate_projects(page, as_of=as_of, kinds=QUEUE_KINDS, messages=True)
    }
    applies: dict[int, list[str]] = defaultdict(list)
    for project_id, code, staff, reviewer in ScreeningAnswer.objects.filter(project_id__in=ids).values_list(
        "project_id", "item_code", "applies", "reviewed_applies"
    ):
        if (reviewer if reviewer is not None else staff) is True:
            applies[project_id].append(code)
    items_of_pack: dict[int, dict[str, ScreeningItem]] = {}
    rows = []
    for project in projects:
        result = evaluated.get(project.pk)
        verdicts = result.verdicts if result else []
        hits: list[ScreeningItem] = []
        if result and applies.get(project.pk):
            items = items_of_pack.get(result.pack.pk)
            if items is None:
                items = {i.code: i for i in screening_items(project, result.pack)}
                items_of_pack[result.pack.pk] = items
            hits = [item for code, item in items.items() if code in applies[project.pk]]
        declared_at = project.declared_at
        rows.append(
            QueueRow(
                project=project,
                declared_at=declared_at,
                age_days=max((as_of - timezone.localtime(declared_at).date()).days, 0),
                screening_hits=hits,
                missing_documents=missing_library_documents(verdicts),
                late=late_messages(verdicts),
            )
        )
    return rows
