"""Read-side helpers for projects: the facts the rules see, the verdicts now, what the user may do next."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django_fsm import get_available_FIELD_transitions

from govproj.caching import remembered
from govproj.errors import NotFound
from jurisdictions.models import Role, RulePack, in_force, memberships_of
from jurisdictions.rules import FactError, evaluate, parse_facts
from jurisdictions.rules.calendar import WorkingCalendar
from jurisdictions.rules.engine import Verdict
from jurisdictions.rules.facts import FACT_DATE_MAX, FACT_DATE_MIN, fact_label
from jurisdictions.selectors import rule_pack, working_calendar
from projects.documents.models import ProjectDocument
from projects.models import (
    DECIDING_TRANSITIONS,
    PLAN_ONLY_TRANSITIONS,
    PROJECTS_STAMP,
    TRANSITION_ROLES,
    AuditEvent,
    Phase,
    Project,
)
from projects.screening.models import ScreeningAnswer

# The date a transition or a record event happened is a fact the rules read (e.g. a deadline
# anchored on approval, the 7 working days from the later of review passed and prerequisites
# complete). Facts recorded explicitly on the project win over these. The phase records' events
# (approvals app) add their own entries: every event named here is read, in one query per list.
TRANSITION_DATE_FACTS: dict[str, tuple[str, ...]] = {
    # 报送: the first declaration is when the department submitted it for its plan year (红山 第七条)
    "declare": ("declaration_date", "plan_submitted_date"),
    "withdraw": (),  # a withdrawn declaration did not happen: the next one sets the dates
    "approve": ("approval_date",),
    "start_construction": ("construction_start_date",),
    "start_trial_operation": ("trial_run_start", "completion_date"),
    "apply_for_acceptance": ("acceptance_applied_date",),
    "accept": ("acceptance_date", "operation_start_date"),
    "stage_review_pass": ("review_passed_date",),  # 评审通过 of an approval stage (approvals.stages)
}
# Facts a later event moves forward (the first event sets the others): a second round's review
# passes on a later day, and the clock counts from that day.
LATEST_EVENT_FACTS: set[str] = {"review_passed_date"}
# Events after which earlier dates no longer hold: a withdrawn declaration did not happen (the next
# one sets its dates); a round returned for revision must pass its review again.
EVENT_RESETS: dict[str, tuple[str, ...]] = {
    "withdraw": ("declaration_date", "plan_submitted_date"),
    "stage_return": ("review_passed_date",),  # a returned or withdrawn stage must pass its review again
    "stage_withdraw": ("review_passed_date",),
}


# What a record's fact is while the project has no such record (a record's app adds its own, e.g.
# projects.construction: no supervision contract recorded means no supervisor engaged). A value the
# record stored on the project (or an imported fact) wins.
RECORD_FACT_DEFAULTS: dict[str, Any] = {}


def dated_actions() -> list[str]:
    """The audit actions whose dates are facts or undo them (read at call time: apps add theirs)."""
    return sorted(set(TRANSITION_DATE_FACTS) | set(EVENT_RESETS))


# Phases at or past which a standing fact is true.
LIBRARY_PHASES = {
    Phase.IN_LIBRARY,
    Phase.PLANNED,
    Phase.IN_REVIEW,
    Phase.APPROVED,
    Phase.IN_CONSTRUCTION,
    Phase.SUSPENDED,
    Phase.TRIAL_OPERATION,
    Phase.IN_ACCEPTANCE,
    Phase.IN_OPERATION,
    Phase.DECOMMISSIONED,
}
PLAN_PHASES = LIBRARY_PHASES - {Phase.IN_LIBRARY}


PROJECT_ID_MAX = 2**63 - 1  # BigAutoField


def parsed_project_id(value) -> int | None:
    """An id from a URL as a number, or None when no project can have it ("abc", "²", 2**64)."""
    text = str(value)
    if not (text.isascii() and text.isdecimal()) or not 1 <= int(text) <= PROJECT_ID_MAX:
        return None
    return int(text)


def project_for(user, pk, action: str = "view") -> Project:
    """The project if the user may see it, else NotFound — another tenant's project is simply not there.

    An id no project can have (text, "²", 2**64: from a URL, a form or an inbox key) is not there either.
    """
    pk = parsed_project_id(pk)
    if pk is None:
        raise NotFound()
    found = (
        Project.objects.for_user(user, action)
        .select_related("jurisdiction", "department", "rule_pack")
        .defer("rule_pack__content")  # the validated spec is cached per process (RulePack.spec)
        .filter(pk=pk)
    )
    project = found.first()
    if project is None:
        raise NotFound()
    return project


def stored_facts(project: Project) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The project's recorded facts the vocabulary accepts (parsed), and one problem for each it refuses.

    A fact written before validation existed (or by hand in the database) may be out of range,
    of the wrong type or no longer known. It is left out of evaluation, so the engine never
    fails on it (rules that need it say the fact is missing), and it is reported by name.
    """
    raw = project.facts if project.facts is not None else {}
    if not isinstance(raw, dict):
        return {}, [{"fact": "", "problem": "facts must be an object of name → value", "value": raw}]
    try:
        return parse_facts(raw), []  # all at once: nearly always they are all good
    except FactError:
        pass
    valid: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    for name, value in raw.items():
        try:
            valid.update(parse_facts({name: value}))
        except FactError as exc:
            problems.extend({**problem, "value": _shown_value(value)} for problem in exc.problems)
    return valid, problems


def _shown_value(value: Any) -> Any:
    return value[:200] if isinstance(value, str) else value


def invalid_stored_facts(project: Project) -> list[dict[str, Any]]:
    """The stored facts evaluation leaves out, each with its name in Chinese and English."""
    return [
        {
            **problem,
            "label": {"zh": fact_label(problem["fact"]), "en": fact_label(problem["fact"], english=True)},
        }
        for problem in stored_facts(project)[1]
    ]


# `documents` not given: project_facts reads them (see `current_document_codes`).
UNREAD: Any = object()


def accepted_document_codes(rows: Iterable[tuple[str, Any]]) -> frozenset[str] | None:
    """From a project's current document rows as (code, rejected_at): the codes on file.

    None when the project has no document records at all (its stored `documents` fact stands).
    """
    rows = list(rows)
    if not rows:
        return None
    return frozenset(code for code, rejected_at in rows if rejected_at is None)


def current_document_codes(project: Project) -> frozenset[str] | None:
    """The codes of the project's current, not-rejected documents; None when it has no document records."""
    return accepted_document_codes(
        ProjectDocument.objects.filter(project_id=project.pk).current().values_list("code", "rejected_at")
    )


def screening_answers_fact(rows: Iterable[tuple[str, bool, bool | None]]) -> dict[str, bool] | None:
    """The `negative_list_answers` fact from a project's (item_code, applies, reviewed_applies) rows.

    The reviewer's answer where there is one, else the department's; None when the project has no
    screening records at all (its stored fact stands).
    """
    rows = list(rows)
    if not rows:
        return None
    return {code: (reviewed if reviewed is not None else applies) for code, applies, reviewed in rows}


def current_screening_answers(project: Project) -> dict[str, bool] | None:
    """The project's `negative_list_answers` from its screening records; None when it has none."""
    return screening_answers_fact(
        ScreeningAnswer.objects.filter(project_id=project.pk).values_list(
            "item_code", "applies", "reviewed_applies"
        )
    )


def project_facts(
    project: Project,
    events: Iterable[tuple[str, dt.datetime]] | None = None,
    documents: frozenset[str] | None = UNREAD,
    screening: dict[str, bool] | None = UNREAD,
) -> dict[str, Any]:
    """The facts the engine sees: the project's fields, its recorded facts, and dates from its history.

    Recorded facts the vocabulary refuses are left out (see `stored_facts`). `events`: the
    project's (action, at) pairs, oldest first, when the caller has read them already.
    `documents`: the codes on file (`current_document_codes`), when the caller has read them;
    None for a project without document records. `screening`: likewise the negative-list answers
    (`current_screening_answers`). Every value is as `parse_facts` gives it (evaluate with `parsed=True`).
    """
    facts: dict[str, Any] = stored_facts(project)[0]
    if documents is UNREAD:
        documents = current_document_codes(project) if project.pk else None
    if documents is not None:
        # Derived from records (ARCHITECTURE.md "Facts come from records"): once a project has any
        # document record, its current accepted uploads are the `documents` fact and a stored
        # `documents` fact is ignored. The stored fact still counts for projects without records
        # (those filed before uploads existed, and the demo) until a later step moves every
        # derived fact to records and the API stops accepting it.
        facts["documents"] = frozenset(documents)
    if screening is UNREAD:
        screening = current_screening_answers(project) if project.pk else None
    if screening is not None:
        # Likewise: once a project has any screening answer, the answers (the reviewer's where the
        # reviewer decided) are the `negative_list_answers` fact.
        facts["negative_list_answers"] = dict(screening)
    fields = {
        "total_investment_wan": project.total_investment_wan,
        "category": project.category,
        "funding_source": project.funding_source,
    }
    facts.update(parse_facts(fields))
    if events is None and project.pk:
        events = project.events.filter(action__in=dated_actions()).values_list("action", "at")
    from_events: set[str] = set()
    for action, at in events or ():
        for name in EVENT_RESETS.get(action, ()):
            if name in from_events:
                del facts[name]
                from_events.discard(name)
        for name in TRANSITION_DATE_FACTS.get(action, ()):
            if name not in facts or (name in from_events and name in LATEST_EVENT_FACTS):
                facts[name] = timezone.localtime(at).date()
                from_events.add(name)
    if FACT_DATE_MIN.year <= (project.year or 0) <= FACT_DATE_MAX.year:
        facts.setdefault("planned_year_start_date", dt.date(project.year, 1, 1))
    facts.setdefault("in_project_library", project.phase in LIBRARY_PHASES)
    facts.setdefault("in_annual_plan", project.phase in PLAN_PHASES)
    for name, value in RECORD_FACT_DEFAULTS.items():
        facts.setdefault(name, value)
    return facts


def pack_for_project(project: Project, as_of: dt.date | None = None) -> RulePack:
    """The pinned version, or (before declaration) the version in force today."""
    return project.rule_pack or rule_pack(project.jurisdiction, as_of=as_of or timezone.localdate())


def project_verdicts(
    project: Project,
    *,
    as_of: dt.date | None = None,
    transition: str | None = None,
    events: Iterable[tuple[str, dt.datetime]] | None = None,
    documents: frozenset[str] | None = UNREAD,
    screening: dict[str, bool] | None = UNREAD,
) -> tuple[RulePack, list[Verdict]]:
    """The pack's verdicts on the project; for a `transition`, as if it happened on `as_of`.

    `events`, `documents` and `screening`: as for `project_facts`, when the caller has read them already.
    """
    as_of = as_of or timezone.localdate()
    pack = pack_for_project(project, as_of)
    facts = project_facts(project, events, documents, screening)
    for name in TRANSITION_DATE_FACTS.get(transition, ()):
        facts.setdefault(name, as_of)
    verdicts = evaluate(
        pack.spec, facts, as_of=as_of, calendar=working_calendar(project.jurisdiction), parsed=True
    )
    return pack, verdicts


def roles_of(user, project: Project) -> set[str]:
    """The user's roles on the project: any of its jurisdiction's, staff only of its department."""
    return {
        m.role
        for m in memberships_of(user)
        if m.jurisdiction_id == project.jurisdiction_id
        and (m.role != Role.DEPARTMENT_STAFF or m.department_id == project.department_id)
    }


# 申报 and its follow-ups: whoever took one of these may not decide on the project (nor may
# their delegate, once delegation exists).
FILING_ACTIONS = ("create", "declare", "resubmit", "submit_for_review")


def filer_ids(project: Project) -> set[int]:
    """Everyone who filed, declared, submitted or resubmitted the project."""
    ids = {project.created_by_id}
    if project.pk:
        ids.update(project.events.filter(action__in=FILING_ACTIONS).values_list("actor_id", flat=True))
    return ids


def may_run(
    user,
    project: Project,
    transition: str,
    *,
    filers: set[int] | None = None,
    roles: set[str] | None = None,
) -> bool:
    """Role and separation of duties only; the state and the rules are checked by the service.

    `filers` and `roles` (from `filer_ids`, `roles_of`) let a caller asking about several
    transitions read them once.
    """
    if transition in DECIDING_TRANSITIONS:
        if user.pk in (filers if filers is not None else filer_ids(project)):
            return False
    if user.is_superuser:
        return True
    roles = roles if roles is not None else roles_of(user, project)
    return bool(roles & TRANSITION_ROLES.get(transition, frozenset()))


def staged_approval(project: Project) -> bool:
    """Whether the project's pack approves it stage by stage (its `review.approval`)."""
    return pack_for_project(project).spec.review.approval is not None


# On a pack that approves stage by stage, these are decided on the approval stages (approvals.stages:
# 批复 of the last stage, 退回 of a stage with its round kept, 驳回 with the stage closed), never alone.
STAGE_DECIDED = {"approve": None, "reject": Phase.IN_REVIEW, "return_for_revision": Phase.IN_REVIEW}


def decided_on_stages(project: Project, names) -> set[str]:
    """Which of `names` the project's approval stages decide (none on a pack without stages)."""
    candidates = {
        name for name in names if name in STAGE_DECIDED and STAGE_DECIDED[name] in (None, project.phase)
    }
    return candidates if candidates and staged_approval(project) else set()


# Master transitions only a phase record runs (its app registers name → the record's page URL name, e.g.
# acceptance.completion: 试运行, 申请验收, 验收): never offered alone, refused (409) by the transitions API.
RECORD_RUN: dict[str, str] = {}


def available_transitions(project: Project, user=None) -> list[str]:
    """Transitions the state allows now (and, given a user, that the user's role may run)."""
    names = [
        t.name
        for t in get_available_FIELD_transitions(project, Project._meta.get_field("phase"))
        if t.name not in PLAN_ONLY_TRANSITIONS and t.name not in RECORD_RUN
    ]
    if staged := decided_on_stages(project, names):
        names = [name for name in names if name not in staged]
    if user is None:
        return names
    filers = filer_ids(project) if DECIDING_TRANSITIONS.intersection(names) else set()
    roles = roles_of(user, project)
    return [name for name in names if may_run(user, project, name, filers=filers, roles=roles)]


def _query_key(queryset: QuerySet) -> str | None:
    """A digest of the queryset's SQL and parameters, or None for a query that selects nothing."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return None
    return hashlib.sha256(repr((sql, params)).encode()).hexdigest()


def project_count(projects: QuerySet) -> int:
    """How many projects the query selects, counted once until a project changes."""
    key = _query_key(projects)
    if key is None:
        return 0
    return remembered(PROJECTS_STAMP, f"count:{key}", projects.count)


def project_years(projects: QuerySet) -> list[int]:
    """The plan years of the query's projects, newest first, read once until a project changes."""
    years = projects.order_by("-year").values_list("year", flat=True).distinct()
    key = _query_key(years)
    if key is None:
        return []
    return remembered(PROJECTS_STAMP, f"years:{key}", lambda: list(years))


class RememberedCountPaginator(Paginator):
    """Page numbers over a project query whose total is counted once until a project changes."""

    @cached_property
    def count(self) -> int:
        return project_count(self.object_list)


# What a row of a project list shows (the list page, the intake queue), read with .only().
LIST_ROW_COLUMNS = (
    "code",
    "title",
    "year",
    "phase",
    "total_investment_wan",
    "created_at",
    "jurisdiction__code",
    "jurisdiction__name_zh",
    "jurisdiction__name_en",
    "department__name_zh",
    "department__name_en",
)


# The columns evaluation reads: the facts and the fields that are facts, and how to find the pack.
EVALUATED_COLUMNS = (
    "jurisdiction",
    "department",
    "rule_pack",
    "phase",
    "facts",
    "total_investment_wan",
    "category",
    "funding_source",
    "year",
)


@dataclass(frozen=True)
class Evaluated:
    project: Project
    pack: RulePack
    verdicts: list[Verdict]


def projects_with_facts(
    projects: QuerySet, *, columns: Iterable[str] = (), chunk_size: int = 2000
) -> Iterator[tuple[Project, dict[str, Any]]]:
    """Each project (the columns evaluation reads, and `columns`) with its facts, in order of id.

    The query count does not depend on how many: the projects, their dated events, their current
    documents and their screening answers stream through four cursors merged by project id (memory
    stays bounded).
    """
    rows = projects.order_by("pk").only(*EVALUATED_COLUMNS, *columns).iterator(chunk_size=chunk_size)
    ids = projects.values("pk")
    streams = [
        AuditEvent.objects.filter(project__in=ids, action__in=dated_actions())
        .order_by("project_id", "at", "pk")
        .values_list("project_id", "action", "at")
        .iterator(chunk_size=chunk_size * 4),
        ProjectDocument.objects.filter(project__in=ids)
        .current()
        .order_by("project_id", "code")
        .values_list("project_id", "code", "rejected_at")
        .iterator(chunk_size=chunk_size * 4),
        ScreeningAnswer.objects.filter(project__in=ids)
        .order_by("project_id", "item_code")
        .values_list("project_id", "item_code", "applies", "reviewed_applies")
        .iterator(chunk_size=chunk_size * 4),
    ]
    pending = [next(stream, None) for stream in streams]
    for project in rows:
        found: list[list] = [[], [], []]
        for index, stream in enumerate(streams):
            while pending[index] is not None and pending[index][0] <= project.pk:
                if pending[index][0] == project.pk:
                    found[index].append(pending[index][1:])
                pending[index] = next(stream, None)
        dated, filed, answered = found
        yield (
            project,
            project_facts(project, dated, accepted_document_codes(filed), screening_answers_fact(answered)),
        )


def evaluate_projects(
    projects: QuerySet,
    *,
    as_of: dt.date | None = None,
    kinds: Iterable[str] | None = None,
    messages: bool = False,
    chunk_size: int = 2000,
) -> Iterator[Evaluated]:
    """The verdicts on many projects (only rules of `kinds`, when given), in order of id.

    The facts come from `projects_with_facts` (a fixed number of queries), every pack version is
    read once, specs and calendars come from the per-process caches. `messages=False` (the default
    here) leaves verdict messages unsaid: a scan reads outcomes, dates and citations.
    """
    as_of = as_of or timezone.localdate()
    kinds = frozenset(kinds) if kinds is not None else None
    packs = {pack.pk: pack for pack in RulePack.objects.defer("content")}
    in_force_now = {
        jurisdiction_id: in_force((p for p in packs.values() if p.jurisdiction_id == jurisdiction_id), as_of)
        for jurisdiction_id in {pack.jurisdiction_id for pack in packs.values()}
    }
    calendars: dict[int, WorkingCalendar] = {}
    for project, facts in projects_with_facts(projects, chunk_size=chunk_size):
        pack = packs[project.rule_pack_id] if project.rule_pack_id else in_force_now[project.jurisdiction_id]
        verdicts = evaluate(
            pack.spec,
            facts,
            as_of=as_of,
            calendar=calendars.get(project.jurisdiction_id)
            or calendars.setdefault(project.jurisdiction_id, working_calendar(project.jurisdiction_id)),
            kinds=kinds,
            messages=messages,
            parsed=True,
        )
        yield Evaluated(project, pack, verdicts)
