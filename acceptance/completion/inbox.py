"""The acceptance source of the inbox (kind "acceptance"): checks before acceptance asked for, delay
applications and applications for acceptance waiting on the reviewer (or their delegate).

Three `values()` queries whatever the number of items; a filer of the project never sees it here
(separation of duties). Each is decided on its page (a date, an opinion, a granted date): no batch.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acceptance.completion.models import (
    AcceptanceApplication,
    AcceptanceCheck,
    AcceptanceDelay,
    ApplicationStatus,
    CheckKind,
    CheckStatus,
    DelayStatus,
)
from approvals.acting import acting_memberships
from approvals.inbox.registry import InboxItem, inbox_source
from govproj.errors import ValidationFailed
from govproj.i18n import english
from jurisdictions.models import Role
from projects.models import AuditEvent
from projects.selectors import FILING_ACTIONS
from security.selectors import person_name

DONE_LIMIT = 500
_PLACEHOLDER = 987654321
PROJECT_FIELDS = (
    "project_id",
    "project__code",
    "project__title",
    "project__jurisdiction_id",
    "project__total_investment_wan",
)


def _url_maker():
    template = reverse("projects:detail", args=[_PLACEHOLDER])
    return lambda pk: template.replace(str(_PLACEHOLDER), str(pk)) + "#acceptance"


def _reviewing(user) -> dict[int, str]:
    """{jurisdiction id: the delegator's name ("" for the user's own role)} where the user reviews today."""
    found: dict[int, str] = {}
    for membership, principal in acting_memberships(user):
        if membership.role != Role.REVIEWER:
            continue
        own = principal.pk == user.pk
        if own or membership.jurisdiction_id not in found:
            found[membership.jurisdiction_id] = "" if own else person_name(principal)
    return found


def _scoped(queryset, user, jurisdictions):
    filed = AuditEvent.objects.filter(
        project_id=OuterRef("project_id"), actor_id=user.pk, action__in=FILING_ACTIONS
    )
    return (
        queryset.filter(project__jurisdiction_id__in=sorted(jurisdictions))
        .exclude(project__created_by_id=user.pk)
        .exclude(Exists(filed))
    )


class AcceptanceSource:
    kind = "acceptance"
    label = gettext_lazy("Acceptance")

    def _querysets(self, user, jurisdictions):
        return (
            _scoped(AcceptanceCheck.objects.filter(status=CheckStatus.REQUESTED), user, jurisdictions),
            _scoped(AcceptanceDelay.objects.filter(status=DelayStatus.PENDING), user, jurisdictions),
            _scoped(
                AcceptanceApplication.objects.filter(
                    status=ApplicationStatus.SUBMITTED, project__phase="in_acceptance"
                ),
                user,
                jurisdictions,
            ),
        )

    def _item(self, row, department, key, what, since, for_whom="", outcome="", due=None) -> InboxItem:
        return InboxItem(
            kind=self.kind,
            key=key,
            what=what,
            url=_url_maker()(row["project_id"]),
            project_id=row["project_id"],
            project_code=row["project__code"],
            project_title=row["project__title"],
            department=row[department] or "",
            amount_wan=row["project__total_investment_wan"],
            since=since,
            due=due,
            for_whom=for_whom,
            outcome=outcome,
        )

    def pending(self, user) -> list[InboxItem]:
        reviewing = _reviewing(user)
        if not reviewing:
            return []
        department = f"project__department__name_{'en' if english() else 'zh'}"
        checks, delays, applications = self._querysets(user, reviewing)
        items = []
        for row in checks.order_by("requested_at", "pk").values(
            "pk", "kind", "requested_at", *PROJECT_FIELDS, department
        ):
            items.append(
                self._item(
                    row,
                    department,
                    f"check:{row['pk']}",
                    str(CheckKind(row["kind"]).label),
                    row["requested_at"],
                    reviewing.get(row["project__jurisdiction_id"], ""),
                )
            )
        for row in delays.order_by("applied_at", "pk").values(
            "pk", "applied_at", "requested_date", *PROJECT_FIELDS, department
        ):
            items.append(
                self._item(
                    row,
                    department,
                    f"delay:{row['pk']}",
                    _("Delayed acceptance application"),
                    row["applied_at"],
                    reviewing.get(row["project__jurisdiction_id"], ""),
                )
            )
        for row in applications.order_by("applied_at", "pk").values(
            "pk", "applied_at", *PROJECT_FIELDS, department
        ):
            items.append(
                self._item(
                    row,
                    department,
                    f"application:{row['pk']}",
                    _("Application for acceptance"),
                    row["applied_at"],
                    reviewing.get(row["project__jurisdiction_id"], ""),
                )
            )
        return items

    def count(self, user) -> int:
        reviewing = _reviewing(user)
        if not reviewing:
            return 0
        return sum(queryset.count() for queryset in self._querysets(user, reviewing))

    def done(self, user) -> list[InboxItem]:
        department = f"project__department__name_{'en' if english() else 'zh'}"
        items = []
        for row in (
            AcceptanceCheck.objects.filter(decided_by_id=user.pk)
            .order_by("-decided_at")
            .values("pk", "kind", "status", "decided_at", *PROJECT_FIELDS, department)[:DONE_LIMIT]
        ):
            items.append(
                self._item(
                    row,
                    department,
                    f"check:{row['pk']}",
                    str(CheckKind(row["kind"]).label),
                    row["decided_at"],
                    outcome=str(CheckStatus(row["status"]).label),
                )
            )
        for row in (
            AcceptanceDelay.objects.filter(decided_by_id=user.pk)
            .order_by("-decided_at")
            .values("pk", "status", "decided_at", *PROJECT_FIELDS, department)[:DONE_LIMIT]
        ):
            items.append(
                self._item(
                    row,
                    department,
                    f"delay:{row['pk']}",
                    _("Delayed acceptance application"),
                    row["decided_at"],
                    outcome=str(DelayStatus(row["status"]).label),
                )
            )
        for row in (
            AcceptanceApplication.objects.filter(decided_by_id=user.pk)
            .order_by("-decided_at")
            .values("pk", "status", "decided_at", *PROJECT_FIELDS, department)[:DONE_LIMIT]
        ):
            items.append(
                self._item(
                    row,
                    department,
                    f"application:{row['pk']}",
                    _("Application for acceptance"),
                    row["decided_at"],
                    outcome=str(ApplicationStatus(row["status"]).label),
                )
            )
        items.sort(key=lambda item: item.since, reverse=True)
        return items[:DONE_LIMIT]

    def decide(self, user, key: str, action: str, comment: str) -> None:
        message = _("Acceptance matters are decided on their own page (a date and an opinion are recorded).")
        raise ValidationFailed(message, extra={"errors": {"action": [message]}})


acceptance = inbox_source(AcceptanceSource())
