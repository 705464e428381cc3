"""The incident reports' source of the inbox (待办): reports waiting on the approver's answer and
rectifications waiting on its confirmation, for the reviewers of the jurisdiction and their delegates.

Two queries whatever the number of items (the rows with their project and department; the
delegations through approvals.acting). Decided on the incident's page, never in a batch.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.acting import acting_memberships
from approvals.inbox.registry import InboxItem
from govproj.errors import ValidationFailed
from govproj.i18n import english
from projects.construction.models import (
    INCIDENT_KIND_LABELS,
    INCIDENT_STATUS_LABELS,
    INCIDENT_WAITING,
    IncidentReport,
    IncidentStatus,
)
from security.selectors import person_name

DONE_LIMIT = 500
FIELDS = (
    "pk",
    "kind",
    "status",
    "reported_on",
    "created_at",
    "rectification_reported_at",
    "rectification_due_date",
    "decided_at",
    "confirmed_at",
    "reported_by_id",
    "rectification_reported_by_id",
    "project_id",
    "project__code",
    "project__title",
    "project__jurisdiction_id",
    "project__total_investment_wan",
)


def _url(row) -> str:
    return reverse("projects:construction-incident", args=[row["project_id"], row["pk"]])


def _item(kind: str, row, department: str, **more) -> InboxItem:
    status = row["status"]
    what = _("%(kind)s report (%(status)s)") % {
        "kind": INCIDENT_KIND_LABELS.get(row["kind"], row["kind"]),
        "status": INCIDENT_STATUS_LABELS.get(status, status),
    }
    return InboxItem(
        kind=kind,
        key=str(row["pk"]),
        what=what,
        url=_url(row),
        project_id=row["project_id"],
        project_code=row["project__code"],
        project_title=row["project__title"],
        department=row[department] or "",
        amount_wan=row["project__total_investment_wan"],
        **more,
    )


class IncidentSource:
    kind = "incident"
    label = gettext_lazy("Incident report")

    def _deciding(self, user) -> dict[int, str]:
        """{jurisdiction id: whom the user acts for ("" themselves)} where they answer for the approver."""
        found: dict[int, str] = {}
        for membership, principal in acting_memberships(user):
            if membership.role != "reviewer":
                continue
            name = "" if principal.pk == user.pk else person_name(principal)
            if found.get(membership.jurisdiction_id, None) != "":
                found[membership.jurisdiction_id] = name
        return found

    def _waiting(self, user, deciding):
        return (
            IncidentReport.objects.filter(
                status__in=INCIDENT_WAITING, project__jurisdiction_id__in=sorted(deciding)
            )
            .exclude(reported_by_id=user.pk)
            .exclude(rectification_reported_by_id=user.pk)
        )

    def pending(self, user) -> list[InboxItem]:
        deciding = self._deciding(user)
        if not deciding:
            return []
        department = f"project__department__name_{'en' if english() else 'zh'}"
        rows = self._waiting(user, deciding).order_by("created_at", "pk").values(*FIELDS, department)
        return [
            _item(
                self.kind,
                row,
                department,
                since=row["rectification_reported_at"]
                if row["status"] == IncidentStatus.RECTIFICATION_REPORTED
                else row["created_at"],
                due=row["rectification_due_date"],
                for_whom=deciding.get(row["project__jurisdiction_id"], ""),
                extra={"status": row["status"]},
            )
            for row in rows
        ]

    def count(self, user) -> int:
        deciding = self._deciding(user)
        return self._waiting(user, deciding).count() if deciding else 0

    def done(self, user) -> list[InboxItem]:
        department = f"project__department__name_{'en' if english() else 'zh'}"
        rows = (
            IncidentReport.objects.filter(Q(decided_by_id=user.pk) | Q(confirmed_by_id=user.pk))
            .order_by("-decided_at", "-pk")
            .values(*FIELDS, department)[:DONE_LIMIT]
        )
        return [
            _item(
                self.kind,
                row,
                department,
                since=row["confirmed_at"] or row["decided_at"],
                outcome=str(INCIDENT_STATUS_LABELS.get(row["status"], row["status"])),
            )
            for row in rows
        ]

    def decide(self, user, key: str, action: str, comment: str) -> None:
        message = _("An incident report is answered on its own page (a due date or a reason is needed).")
        raise ValidationFailed(message, extra={"errors": {"action": [message]}})
