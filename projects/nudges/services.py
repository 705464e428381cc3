"""催办 (issue 11 §3): a reviewer (or their delegate) or the jurisdiction admin nudges whoever must act.

`nudge_send` tells the people responsible for an item — the project as a whole (its department's
staff) or one of its stored deadlines (the role and department the measure makes responsible) — with
a message, at most once per item and day (China's date): a second nudge the same day is a 409 that
says when the first was sent and by whom. The nudge is an audit event (the project's timeline shows
it) and a notification to each person told, linking to the project page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from approvals.acting import Acting, acting_memberships
from govproj import inputs
from govproj.errors import InvalidTransition, NotFound, NotPermitted
from jurisdictions.models import Membership, Role, memberships_of
from projects.deadlines.models import Deadline, DeadlineStatus
from projects.models import Project
from projects.notifications.services import notify
from projects.nudges.models import PROJECT_ITEM, Nudge
from projects.records import locked_project, record_event
from projects.selectors import parsed_project_id
from security.selectors import person_name

MESSAGE_MAX = 500
KIND = "nudge"
# Deadlines still owed: a met or waived one is nobody's to chase.
NUDGEABLE = frozenset({DeadlineStatus.OPEN, DeadlineStatus.OVERDUE})


NUDGERS = frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN})


def acting_nudger_in(user, jurisdiction_id: int) -> Acting | None:
    """Who the user nudges as in the jurisdiction: themselves (a reviewer, the jurisdiction admin), as
    the delegate of a reviewer (a delegation in force today), or None: they may not nudge there.

    Read from the person's memberships and delegations of the request (approvals.acting), so pages that
    ask for each row or section pay no query of their own.
    """
    if not user.is_authenticated:
        return None
    if user.is_superuser or any(
        m.jurisdiction_id == jurisdiction_id and m.role in NUDGERS for m in memberships_of(user)
    ):
        return Acting(user, user)
    for membership, principal in acting_memberships(user):  # delegations read once a request
        if (
            principal.pk != user.pk
            and membership.jurisdiction_id == jurisdiction_id
            and membership.role == Role.REVIEWER
        ):
            return Acting(user, principal)
    return None


def acting_nudger(user, project: Project) -> Acting | None:
    return acting_nudger_in(user, project.jurisdiction_id)


def may_nudge(user, project: Project) -> bool:
    return acting_nudger(user, project) is not None


def recipients_of(project: Project, deadline: Deadline | None, *, exclude=()) -> list:
    """The active people responsible for the item, by name order (the sender left out).

    The project, or a deadline its department owes: the department's staff (the deadline's own
    department when it names one). A deadline another body owes: that role in the jurisdiction, of
    the department the measure names, if any.
    """
    members = Membership.objects.filter(jurisdiction_id=project.jurisdiction_id, user__is_active=True)
    if deadline is None or deadline.responsible_role == Role.DEPARTMENT_STAFF:
        department_id = (deadline.responsible_department_id if deadline else None) or project.department_id
        members = members.filter(role=Role.DEPARTMENT_STAFF, department_id=department_id)
    else:
        members = members.filter(role=deadline.responsible_role)
        if deadline.responsible_department_id:
            members = members.filter(department_id=deadline.responsible_department_id)
    return list(
        get_user_model()
        .objects.filter(pk__in=members.values("user_id"))
        .exclude(pk__in=[u for u in exclude if u])
        .order_by("last_name", "first_name", "username", "pk")
    )


def _deadline(project: Project, deadline_id) -> Deadline | None:
    if deadline_id in (None, ""):
        return None
    pk = parsed_project_id(deadline_id)
    row = Deadline.objects.select_for_update().filter(pk=pk, project=project).first() if pk else None
    if row is None:
        raise NotFound()
    if row.status not in NUDGEABLE:
        raise InvalidTransition(
            _("Only an open or overdue deadline is nudged; this one is %(status)s.")
            % {"status": DeadlineStatus(row.status).label},
            extra={"status": row.status, "allowed": []},
        )
    return row


def _refuse_second(earlier: Nudge) -> InvalidTransition:
    sent_at = timezone.localtime(earlier.created_at)
    return InvalidTransition(
        _(
            "This was nudged today already: %(name)s sent a nudge at %(time)s. "
            "Each item is nudged at most once a day; try again tomorrow."
        )
        % {"name": person_name(earlier.sender), "time": sent_at.strftime("%H:%M")},
        extra={
            "allowed": [],
            "nudged_at": sent_at.isoformat(),
            "nudged_by": {"id": earlier.sender_id, "name": person_name(earlier.sender)},
        },
    )


def _title(project: Project, deadline: Deadline | None, sender: str) -> str:
    """The notice's title in the site's language (Chinese), whoever sends it."""
    with translation.override(settings.LANGUAGE_CODE):
        if deadline is None:
            return _("Nudge from %(name)s: %(project)s") % {"name": sender, "project": project.title}
        return _("Nudge from %(name)s: %(project)s · %(duty)s (%(article)s), due %(due)s") % {
            "name": sender,
            "project": project.title,
            "duty": deadline.title_zh,
            "article": deadline.article,
            "due": deadline.due_date.isoformat(),
        }


@transaction.atomic
def nudge_send(*, actor, project_id, deadline_id=None, message) -> Nudge:
    """Nudge the people responsible for the project or one of its open or overdue deadlines."""
    project = locked_project(actor, project_id)  # another tenant's, or not visible: 404
    acting = acting_nudger(actor, project)
    if acting is None:
        raise NotPermitted(_("Only a reviewer or the jurisdiction admin sends a nudge."))
    deadline = _deadline(project, deadline_id)
    message = inputs.text(message, "message", required=True, limit=MESSAGE_MAX)
    item = deadline.rule_id if deadline else PROJECT_ITEM
    today = timezone.localdate()
    earlier = (
        Nudge.objects.filter(project=project, item=item, day=today).select_related("sender").first()
    )  # the project row is locked: two nudges of one project take turns
    if earlier is not None:
        raise _refuse_second(earlier)
    told = recipients_of(project, deadline, exclude={actor.pk})
    if not told:
        raise InvalidTransition(
            _("Nobody holds the responsible role for this item yet; the administrator adds people first."),
            extra={"allowed": []},
        )
    try:
        with transaction.atomic():
            nudge = Nudge.objects.create(
                project=project,
                jurisdiction_id=project.jurisdiction_id,
                deadline=deadline,
                item=item,
                item_title=deadline.title_zh if deadline else "",
                sender=actor,
                on_behalf_of=acting.principal if acting.on_behalf else None,
                message=message,
                day=today,
            )
    except IntegrityError:  # the constraint behind the lock: never two for one item and day
        raise _refuse_second(
            Nudge.objects.select_related("sender").get(project=project, item=item, day=today)
        ) from None
    nudge.recipients.set(told)
    about = (
        {
            "deadline": deadline.pk,
            "rule": deadline.rule_id,
            "title": deadline.title_zh,
            "article": deadline.article,
            "due_date": deadline.due_date.isoformat(),
        }
        if deadline
        else {"deadline": None}
    )
    record_event(
        project,
        actor,
        "nudge",
        message,
        nudge=nudge.pk,
        **about,
        recipients=[{"id": user.pk, "name": person_name(user)} for user in told],
        **acting.audit(),
    )
    url = reverse("projects:detail", args=[project.pk]) + ("#deadlines" if deadline else "#nudges")
    notify(
        told,
        kind=KIND,
        title=_title(project, deadline, acting.label),
        body=message,
        url=url,
        project=project,
        key=f"nudge:{nudge.pk}",
    )
    return nudge
