"""Today's sources of notifications: project audit events, mapped by action to who must act or cares.

A small table: each action names its recipients (a function of the project), its title and the section
of the project page that holds the thing to do. A return, rejection, order to rectify or O&M decision
goes to the project's department (申报单位: the staff of its department — its creator among them while
they are there); a declaration, an incident report or an application to decide goes to the
jurisdiction's reviewers (O&M funding: its finance officers). The person who acted is never told of
their own act. Titles and bodies are written in the site's language (Chinese) when the event is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jurisdictions.models import Membership, Role
from projects.models import AuditEvent, Project
from projects.notifications.services import notify
from security.selectors import person_name


def _members(project: Project, role: str, **more) -> set[int]:
    return set(
        Membership.objects.filter(jurisdiction_id=project.jurisdiction_id, role=role, **more).values_list(
            "user_id", flat=True
        )
    )


def department_staff(project: Project) -> set[int]:
    """The staff of the project's department (who filed it and act for it)."""
    return _members(project, Role.DEPARTMENT_STAFF, department_id=project.department_id)


def reviewers(project: Project) -> set[int]:
    """The reviewers of the project's jurisdiction (who decide on declarations and reports)."""
    return _members(project, Role.REVIEWER)


def finance_officers(project: Project) -> set[int]:
    """The finance officers of the project's jurisdiction (who decide on O&M funding)."""
    return _members(project, Role.FINANCE_OFFICER)


@dataclass(frozen=True)
class Source:
    recipients: Callable[[Project], set[int]]
    title: str  # lazy; "%(project)s" is the project's title
    anchor: str  # the section of the project page with the thing to do


SOURCES: dict[str, Source] = {
    # To the department: it must act.
    "return_for_revision": Source(
        department_staff, gettext_lazy("“%(project)s” was returned for revision"), "#intake"
    ),
    "reject": Source(department_staff, gettext_lazy("“%(project)s” was rejected"), "#intake"),
    "document_reject": Source(
        department_staff, gettext_lazy("A document of “%(project)s” was sent back"), "#documents"
    ),
    "stage_return": Source(
        department_staff, gettext_lazy("An approval stage of “%(project)s” was returned"), "#stages"
    ),
    "change_return": Source(
        department_staff, gettext_lazy("A change request of “%(project)s” was returned"), "#changes"
    ),
    "change_reject": Source(
        department_staff, gettext_lazy("A change request of “%(project)s” was rejected"), "#changes"
    ),
    "incident_rectify": Source(
        department_staff, gettext_lazy("Rectification ordered for “%(project)s”"), "#construction"
    ),
    "incident_return": Source(
        department_staff, gettext_lazy("The rectification of “%(project)s” was returned"), "#construction"
    ),
    "acceptance_fail": Source(
        department_staff, gettext_lazy("“%(project)s” did not pass acceptance"), "#acceptance"
    ),
    # To the department: it cares.
    "enter_library": Source(
        department_staff, gettext_lazy("“%(project)s” entered the project library"), "#intake"
    ),
    "approve": Source(department_staff, gettext_lazy("“%(project)s” was approved"), "#timeline"),
    "om_approve": Source(department_staff, gettext_lazy("O&M funds approved for “%(project)s”"), "#om"),
    "om_reduce": Source(
        department_staff, gettext_lazy("O&M funds approved with a reduced amount for “%(project)s”"), "#om"
    ),
    "om_refuse": Source(department_staff, gettext_lazy("O&M funds refused for “%(project)s”"), "#om"),
    "suspend": Source(department_staff, gettext_lazy("“%(project)s” was suspended"), "#timeline"),
    "terminate": Source(department_staff, gettext_lazy("“%(project)s” was terminated"), "#timeline"),
    "finding": Source(
        department_staff,
        gettext_lazy("The approving authority recorded a finding on “%(project)s”"),
        "#findings",
    ),
    "deadline_waived": Source(
        department_staff, gettext_lazy("A deadline of “%(project)s” was waived"), "#deadlines"
    ),
    # To those who decide: they must act.
    "declare": Source(reviewers, gettext_lazy("“%(project)s” was declared and waits for review"), "#intake"),
    "resubmit": Source(
        reviewers, gettext_lazy("“%(project)s” was resubmitted and waits for review"), "#intake"
    ),
    "stage_submit": Source(
        reviewers, gettext_lazy("An approval stage of “%(project)s” was submitted"), "#stages"
    ),
    "change_submit": Source(
        reviewers, gettext_lazy("A change request of “%(project)s” waits for approval"), "#changes"
    ),
    "incident_report": Source(
        reviewers,
        gettext_lazy("A serious delay, loss or change was reported on “%(project)s”"),
        "#construction",
    ),
    "incident_rectified": Source(
        reviewers, gettext_lazy("The rectification of “%(project)s” is reported done"), "#construction"
    ),
    "acceptance_apply": Source(
        reviewers, gettext_lazy("“%(project)s” applied for acceptance"), "#acceptance"
    ),
    "status_update": Source(
        reviewers, gettext_lazy("The department updated how “%(project)s” stands"), "#findings"
    ),
    "om_submit": Source(
        finance_officers,
        gettext_lazy("An O&M funding application for “%(project)s” waits for a decision"),
        "#om",
    ),
}


def event_body(event: AuditEvent) -> str:
    """Who acted, and what they wrote (the reason for a return, the order to rectify …)."""
    lines = [_("By %(person)s") % {"person": person_name(event.actor)}]
    if (event.comment or "").strip():
        lines.append(_("Comment: %(comment)s") % {"comment": event.comment.strip()})
    return "\n".join(lines)


def notify_event(event_id: int) -> list[int]:
    """Tell the people the event's action concerns (see SOURCES), except its actor; the new rows' ids.

    Idempotent: the key is the event's, so running it twice tells nobody twice.
    """
    event = AuditEvent.objects.select_related("project", "actor").filter(pk=event_id).first()
    source = SOURCES.get(event.action) if event is not None else None
    if source is None:
        return []
    project = event.project
    recipients = source.recipients(project) - {event.actor_id}
    if not recipients:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        title = str(source.title) % {"project": project.title}
        body = event_body(event)
    return notify(
        recipients,
        kind=event.action,
        title=title,
        body=body,
        url=reverse("projects:detail", kwargs={"pk": project.pk}) + source.anchor,
        project=project,
        key=f"audit-event:{event.pk}",
    )
