"""Reading the security audit log: who may, what they see, and how each event reads in people's words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from govproj.errors import NotPermitted
from jurisdictions.models import Membership, Role
from security.models import READERS, Kind, SecurityEvent


def may_read_security_log(user, roles: Iterable[str] | None = None) -> bool:
    """Auditors and jurisdiction admins (and superusers); `roles`: the user's, if already read."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if roles is not None:
        return bool(set(roles) & set(READERS))
    return Membership.objects.filter(user=user, role__in=READERS).exists()


def security_event_list(
    *,
    user,
    person: int | None = None,
    username: str = "",
    kind: str = "",
    outcome: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[SecurityEvent]:
    """The events the user may read, newest first, filtered; NotPermitted for roles without the right."""
    if not may_read_security_log(user):
        raise NotPermitted(_("Only auditors and jurisdiction administrators read the security log."))
    events = SecurityEvent.objects.for_user(user).select_related("actor", "subject_user", "jurisdiction")
    if person:
        events = events.filter(Q(actor_id=person) | Q(subject_user_id=person))
    if username:
        events = events.filter(username__icontains=username)
    if kind:
        events = events.filter(kind=kind)
    if outcome:
        events = events.filter(outcome=outcome)
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events.order_by("-at", "-pk")


def security_log_people(user) -> QuerySet:
    """People a reader may filter by: members of the jurisdictions whose log they read."""
    users = get_user_model().objects.order_by("username")
    if user.is_superuser:
        return users
    readable = Membership.objects.filter(user=user, role__in=READERS).values("jurisdiction_id")
    return users.filter(memberships__jurisdiction_id__in=readable).distinct()


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _role_text(state: dict | None) -> str:
    if not state:
        return "—"
    text = str(Role(state["role"]).label) if state["role"] in Role.values else state["role"]
    return f"{text}（{state['department']}）" if state.get("department") else text


def _field_label(model_label: str, name: str) -> str:
    try:
        return str(apps.get_model(model_label)._meta.get_field(name).verbose_name)
    except (LookupError, ValueError):
        return name


def target_label(event: SecurityEvent) -> str:
    """`app.model:pk text` as people read it: the kind of object by its name, then the text."""
    head, _space, rest = event.target.partition(" ")
    label, _colon, pk = head.partition(":")
    try:
        name = apps.get_model(label)._meta.verbose_name
    except (LookupError, ValueError):
        return event.target
    return f"{name} {rest or '#' + pk}"


def describe(event: SecurityEvent) -> list[str]:
    """What happened, in the reader's language, one line per detail (no codes, no raw JSON)."""
    data = event.data or {}
    if event.kind in (Kind.MEMBERSHIP_GRANTED, Kind.MEMBERSHIP_CHANGED, Kind.MEMBERSHIP_REVOKED):
        return [f"{_role_text(data.get('old'))} → {_role_text(data.get('new'))}"]
    if event.kind in (Kind.ADMIN_ADDED, Kind.ADMIN_CHANGED, Kind.ADMIN_DELETED):
        model = data.get("model", "")
        return [
            f"{_field_label(model, name)}：{change.get('from') or '—'} → {change.get('to') or '—'}"
            for name, change in (data.get("changes") or {}).items()
        ]
    if event.kind == Kind.REFUSED:
        from projects.models import EVENT_LABELS

        lines = []
        if data.get("action"):
            lines.append(
                _("Action: %(action)s") % {"action": EVENT_LABELS.get(data["action"], data["action"])}
            )
        articles = sorted({rule["article"] for rule in data.get("rules", [])})
        if articles:
            lines.append(_("Rules applied: %(articles)s") % {"articles": "、".join(articles)})
        return lines
    if event.kind == Kind.PURGED:
        return [
            _("%(count)s events before %(date)s removed (retention).")
            % {"count": data.get("count"), "date": data.get("before")}
        ]
    return []
