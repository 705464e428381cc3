"""Reads of the O&M funding applications: the verdicts and answer on one, the project's section, the
finance officer's queue and recent decisions.

The queue evaluates the page's projects in one batch (projects.selectors.evaluate_projects): the
number of queries does not depend on how many applications wait.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.paginator import Paginator
from django.utils import timezone

from approvals.acting import acting_memberships
from budgets.om.answer import Answer, answer_of
from budgets.om.models import DECIDED, OPEN, OmApplication, OmStatus
from jurisdictions.models import Role
from jurisdictions.rules import evaluate
from jurisdictions.rules.facts import parse_facts
from jurisdictions.selectors import working_calendar
from projects.models import Phase, Project
from projects.selectors import (
    evaluate_projects,
    filer_ids,
    pack_for_project,
    project_facts,
    roles_of,
)

QUEUE_PAGE_SIZE = 25
RECENT_DECISIONS = 20
ENDED_PHASES = frozenset({Phase.REJECTED, Phase.TERMINATED, Phase.DECOMMISSIONED})
# The facts an application decides, recorded on submission.
APPLICATION_FACTS = (
    "om_annual_request_wan",
    "om_contract_term_years",
    "om_is_continuation",
    "om_application_date",
    "om_period_end_date",
    "om_year_start_date",
)


def application_facts(application: OmApplication, on: dt.date) -> dict[str, Any]:
    """The facts the application decides, as recorded when it is submitted on `on`."""
    return {
        "om_annual_request_wan": application.amount_wan,
        "om_contract_term_years": application.term_years,
        "om_is_continuation": application.is_continuation,
        "om_application_date": on,
        "om_period_end_date": application.period_end_date if application.is_continuation else None,
        "om_year_start_date": dt.date(application.year, 1, 1),
    }


def free_om_end(facts: dict[str, Any]) -> dict[str, Any]:
    """The free O&M period's end when no record states it: the agreed years counted from acceptance
    (红山 第二十四条 and 莱州 第二十九条 count the free period from acceptance)."""
    if facts.get("free_om_end_date") is not None:
        return {}
    accepted, years = facts.get("acceptance_date"), facts.get("free_om_years")
    if accepted is None or years is None:
        return {}
    months = int((Decimal(years) * 12).to_integral_value())
    return {"free_om_end_date": accepted + relativedelta(months=months)}


def verdicts_for(project: Project, application: OmApplication, *, as_of: dt.date | None = None, amount=None):
    """The pack and verdicts on the project with the application's facts (and `amount` when given)."""
    as_of = as_of or timezone.localdate()
    pack = pack_for_project(project, as_of)
    facts = project_facts(project)
    on = timezone.localtime(application.submitted_at).date() if application.submitted_at else as_of
    raw = application_facts(application, on)
    if amount is not None:
        raw["om_annual_request_wan"] = amount
    facts.update(parse_facts({k: v for k, v in raw.items() if v is not None}))
    if not application.is_continuation:
        facts.pop("om_period_end_date", None)
    facts.update(free_om_end(facts))
    verdicts = evaluate(
        pack.spec, facts, as_of=as_of, calendar=working_calendar(project.jurisdiction), parsed=True
    )
    return pack, verdicts


def application_answer(project: Project, application: OmApplication) -> tuple[Answer, int | None]:
    """The answer on the application and the pack version it comes from: as decided (stored), or now."""
    if application.status in DECIDED:
        return answer_of(application.verdicts), application.pack_version
    pack, verdicts = verdicts_for(project, application)
    return answer_of(verdicts), pack.version


def eligible(project: Project) -> bool:
    """Whether the project may ask for O&M funds: in operation (accepted), or an O&M-service project
    (红山 第二条, 第八条: O&M services are projects of their own, applied for through the library)."""
    if project.phase in ENDED_PHASES:
        return False
    if project.phase == Phase.IN_OPERATION:
        return True
    return project.category == "om_service" or bool((project.facts or {}).get("is_om_service"))


def finance_jurisdictions(user) -> set[int] | None:
    """The jurisdictions whose finance officer the user is (or stands in for); None: all (superuser)."""
    if user.is_superuser:
        return None
    return {m.jurisdiction_id for m, _principal in acting_memberships(user) if m.role == Role.FINANCE_OFFICER}


def is_finance(user, project: Project) -> bool:
    found = finance_jurisdictions(user)
    return found is None or project.jurisdiction_id in found


def may(user, project: Project, application: OmApplication | None = None) -> dict[str, bool]:
    """What the user may do now (role, separation of duties and state; the service re-checks all)."""
    staff = user.is_superuser or Role.DEPARTMENT_STAFF in roles_of(user, project)
    status = application.status if application is not None else None
    finance = False
    if status == OmStatus.SUBMITTED and is_finance(user, project):
        people = filer_ids(project) | {application.created_by_id, application.submitted_by_id}
        finance = user.pk not in people
    return {
        "apply": staff and project.phase not in ENDED_PHASES,
        "submit": staff and status == OmStatus.DRAFT and eligible(project),
        "withdraw": staff and status in OPEN,
        "decide": finance,
    }


def may_apply(user, project: Project) -> bool:
    """The department may apply now: its project is eligible and has no open application."""
    return (
        may(user, project)["apply"]
        and eligible(project)
        and not OmApplication.objects.filter(project=project, status__in=OPEN).exists()
    )


@dataclass(frozen=True)
class ShownApplication:
    application: OmApplication
    answer: Answer
    pack_version: int | None
    may: dict[str, bool]


def om_section(user, project: Project, *, verdicts=None) -> dict | None:
    """The project page's O&M card: every application (latest first) with its answer, and what to do."""
    if not eligible(project) and project.phase not in ENDED_PHASES:
        return None  # never eligible yet (a draft, a project in construction): no application can exist
    applications = list(
        OmApplication.objects.filter(project=project)
        .select_related("created_by", "submitted_by", "decided_by", "on_behalf_of")
        .order_by("-pk")
    )
    if not applications and not eligible(project):
        return None
    shown = []
    for application in applications:
        if application.status in DECIDED:
            answer, version = answer_of(application.verdicts), application.pack_version
        elif application.status == OmStatus.SUBMITTED and verdicts is not None:
            answer, version = answer_of(verdicts), None  # the page's verdicts read the submitted facts
        elif application.status in OPEN:
            answer, version = application_answer(project, application)
        else:
            answer, version = None, None
        shown.append(ShownApplication(application, answer, version, may(user, project, application)))
    open_one = next((a for a in applications if a.status in OPEN), None)
    project_may = may(user, project)
    project_may["apply"] = project_may["apply"] and open_one is None
    return {"om": {"applications": shown, "may": project_may, "eligible": eligible(project)}}


# ---------------------------------------------------------------------------- the finance officer's queue


@dataclass(frozen=True)
class QueueRow:
    application: OmApplication
    answer: Answer | None


def _in_jurisdictions(queryset, user):
    jurisdictions = finance_jurisdictions(user)
    if jurisdictions is None:
        return queryset
    return queryset.filter(project__jurisdiction_id__in=sorted(jurisdictions))


def waiting(user):
    """Submitted applications of the user's jurisdictions that the user did not file, soonest year first."""
    rows = _in_jurisdictions(OmApplication.objects.filter(status=OmStatus.SUBMITTED), user)
    return (
        rows.exclude(created_by_id=user.pk)
        .exclude(submitted_by_id=user.pk)
        .exclude(project__created_by_id=user.pk)
        .order_by("year", "submitted_at", "pk")
    )


def finance_queue(user, page_number=1):
    """A page of the queue, each row with its overall answer (the page's projects evaluated in one batch)."""
    rows = waiting(user).select_related(
        "project", "project__department", "project__jurisdiction", "created_by", "submitted_by"
    )
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(page_number)
    applications = list(page.object_list)
    answers: dict[int, Answer] = {}
    if applications:
        projects = Project.objects.filter(pk__in=sorted({a.project_id for a in applications}))
        for evaluated in evaluate_projects(projects, messages=True):
            answers[evaluated.project.pk] = answer_of(evaluated.verdicts)
    page.object_list = [QueueRow(a, answers.get(a.project_id)) for a in applications]
    return page


def recent_decisions(user, limit: int = RECENT_DECISIONS) -> list[OmApplication]:
    """The latest decisions in the user's jurisdictions, with their stored answers."""
    rows = _in_jurisdictions(OmApplication.objects.filter(status__in=DECIDED), user)
    return list(
        rows.select_related(
            "project", "project__department", "created_by", "submitted_by", "decided_by", "on_behalf_of"
        ).order_by("-decided_at", "-pk")[:limit]
    )


def shown_decisions(rows: list[OmApplication]) -> list[QueueRow]:
    return [QueueRow(a, answer_of(a.verdicts)) for a in rows]
