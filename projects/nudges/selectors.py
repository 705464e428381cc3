"""Reads of nudges (催办): a project's, those sent today about some deadlines, and the timeline's words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.nudges.models import Nudge
from security.selectors import person_name


def project_nudges(project) -> QuerySet[Nudge]:
    """The project's nudges, newest first, with who sent them and who was told (two queries)."""
    return (
        Nudge.objects.filter(project=project)
        .select_related("sender", "on_behalf_of", "deadline")
        .prefetch_related(
            Prefetch(
                "recipients", queryset=get_user_model().objects.order_by("last_name", "first_name", "pk")
            )
        )
        .order_by("-created_at", "-pk")
    )


def sent_today(deadline_ids: Iterable[int], day: dt.date | None = None) -> dict[int, Nudge]:
    """{deadline id: today's nudge} for those of the deadlines nudged today (one query)."""
    ids = sorted(set(deadline_ids))
    if not ids:
        return {}
    day = day or timezone.localdate()
    rows = Nudge.objects.filter(day=day, deadline_id__in=ids).select_related("sender")
    return {row.deadline_id: row for row in rows}


def nudge_entry(event) -> dict:
    """A `nudge` audit event as the project page's 「催办」 section lists it: when, who, about what, whom."""
    changes = event.changes if isinstance(event.changes, dict) else {}
    behalf = changes.get("on_behalf_of")
    sender = person_name(event.actor)
    if isinstance(behalf, dict) and behalf.get("name"):
        sender = f"{sender}（代{behalf['name']}）"
    told = [r.get("name", "") for r in changes.get("recipients") or () if isinstance(r, dict)]
    return {
        "at": event.at,
        "sender": sender,
        "title": changes.get("title") or "",
        "article": changes.get("article") or "",
        "told": "、".join(name for name in told if name),
        "message": event.comment,
    }


def timeline_details(changes: dict) -> list[str]:
    """What the project page's timeline says under a nudge: the deadline it is about, who was told."""
    lines = []
    if changes.get("title"):
        lines.append(
            _("About: %(duty)s (%(article)s), due %(due)s")
            % {
                "duty": changes["title"],
                "article": changes.get("article", ""),
                "due": changes.get("due_date", ""),
            }
        )
    else:
        lines.append(_("About: the project"))
    names = [r.get("name", "") for r in changes.get("recipients") or () if isinstance(r, dict)]
    if names:
        lines.append(_("Told: %(names)s") % {"names": "、".join(n for n in names if n)})
    return lines
