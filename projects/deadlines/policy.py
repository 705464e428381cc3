"""A jurisdiction's reminder policy (issue 11 §2): when its people are reminded and who is told of
escalations. Its administrators set it on a page; the daily scan reads it (defaults where none is set)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from govproj import inputs
from govproj.errors import NotFound, NotPermitted
from jurisdictions.models import Jurisdiction, Membership, Role, memberships_of
from projects.deadlines.models import ReminderPolicy
from security.models import Kind
from security.services import security_event_record

LEAD_MAX, LEADS_MAX, EVERY_MAX, ESCALATE_MAX = 60, 6, 60, 250


def administered(user) -> list[Jurisdiction]:
    """The jurisdictions whose reminder policy the user sets (superusers: all)."""
    if user.is_superuser:
        return list(Jurisdiction.objects.order_by("code"))
    ids = {m.jurisdiction_id for m in memberships_of(user) if m.role == Role.JURISDICTION_ADMIN}
    return list(Jurisdiction.objects.filter(pk__in=ids).order_by("code"))


def policy_for(jurisdiction: Jurisdiction) -> ReminderPolicy:
    return ReminderPolicy.objects.filter(jurisdiction=jurisdiction).first() or ReminderPolicy(
        jurisdiction=jurisdiction
    )


def reviewers(jurisdiction: Jurisdiction):
    ids = Membership.objects.filter(jurisdiction=jurisdiction, role=Role.REVIEWER).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")


def _number(value, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        value = None
    try:
        number = int(value) if value is not None and str(value).strip().isdigit() else None
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise inputs.invalid(
            field, _("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    return number


def _leads(value) -> list[int]:
    items = value.replace("，", ",").split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not items or len(items) > LEADS_MAX:
        raise inputs.invalid(
            "lead_days", _("Give up to %(n)s numbers of working days, e.g. 5, 2, 0.") % {"n": LEADS_MAX}
        )
    return sorted(
        {
            _number(item.strip() if isinstance(item, str) else item, "lead_days", 0, LEAD_MAX)
            for item in items
        },
        reverse=True,
    )


@transaction.atomic
def reminder_policy_set(
    *, actor, jurisdiction_code, lead_days, overdue_every, escalate_after, reviewer_lead=None, request=None
) -> ReminderPolicy:
    """Set when the jurisdiction's people are reminded; logged in the security log."""
    jurisdiction = (
        Jurisdiction.objects.for_user(actor).filter(code=jurisdiction_code).first()
        if isinstance(jurisdiction_code, str)
        else None
    )
    if jurisdiction is None:
        raise NotFound()
    if jurisdiction not in administered(actor):
        raise NotPermitted(_("Only this jurisdiction's administrators set its reminders."))
    leads = _leads(lead_days)
    every = _number(overdue_every, "overdue_every", 1, EVERY_MAX)
    escalate = _number(escalate_after, "escalate_after", 1, ESCALATE_MAX)
    lead_user = None
    if reviewer_lead not in (None, ""):
        lead_pk = _number(reviewer_lead, "reviewer_lead", 1, 2**31 - 1)
        lead_user = reviewers(jurisdiction).filter(pk=lead_pk).first()
        if lead_user is None:
            raise inputs.invalid("reviewer_lead", _("Choose one of the jurisdiction's reviewers."))
    row, _created = ReminderPolicy.objects.select_for_update().get_or_create(jurisdiction=jurisdiction)
    before = {
        "lead_days": row.lead_days,
        "overdue_every": row.overdue_every,
        "escalate_after": row.escalate_after,
        "reviewer_lead": row.reviewer_lead_id,
    }
    row.lead_days, row.overdue_every, row.escalate_after, row.reviewer_lead = (
        leads,
        every,
        escalate,
        lead_user,
    )
    row.save()
    after = {
        "lead_days": leads,
        "overdue_every": every,
        "escalate_after": escalate,
        "reviewer_lead": row.reviewer_lead_id,
    }
    security_event_record(
        kind=Kind.ADMIN_CHANGED,
        request=request,
        actor=actor,
        jurisdiction=jurisdiction,
        target=f"projects.reminderpolicy:{row.pk}",
        data={
            "model": "projects.reminderpolicy",
            "changes": {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]},
            "via": "reminders",
        },
    )
    return row
