"""The change requests' source of the inbox: submitted changes waiting on the approver (待办), and changes
the unit filed for the approver to acknowledge (知悉).

A change waits on everyone who may act for its pack's approval decider in its jurisdiction (and on
their delegates), never on whoever filed the project or the change. One query for the waiting rows,
whatever their number.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.inbox.registry import InboxItem, inbox_source
from approvals.stages.inbox import _deciding
from budgets.changes import services
from budgets.changes.models import CHANGE_STATUS_LABELS, ChangeRequest, ChangeStatus
from govproj.errors import NotFound, ValidationFailed
from govproj.i18n import english
from projects.models import AuditEvent
from projects.selectors import FILING_ACTIONS, parsed_project_id
from security.selectors import person_name

DONE_LIMIT = 500
FIELDS = (
    "pk",
    "status",
    "submitted_at",
    "decided_at",
    "acknowledged_at",
    "project_id",
    "project__code",
    "project__title",
    "project__jurisdiction_id",
    "project__total_investment_wan",
)


def _url(project_id: int, pk: int) -> str:
    return reverse("projects:change-detail", args=[project_id, pk])


class ChangeSource:
    kind = "change"
    label = gettext_lazy("Change request")

    def _waiting(self, user):
        deciding = _deciding(user)
        if not deciding:
            return ChangeRequest.objects.none(), deciding
        filed = AuditEvent.objects.filter(
            project_id=OuterRef("project_id"), actor_id=user.pk, action__in=FILING_ACTIONS
        )
        rows = (
            ChangeRequest.objects.filter(
                Q(status=ChangeStatus.SUBMITTED) | Q(status=ChangeStatus.FILED, acknowledged_at__isnull=True),
                project__jurisdiction_id__in=sorted({j for j, _p in deciding}),
            )
            .exclude(project__created_by_id=user.pk)
            .exclude(submitted_by_id=user.pk)
            .exclude(Exists(filed))
        )
        return rows, deciding

    def pending(self, user) -> list[InboxItem]:
        rows, deciding = self._waiting(user)
        if not deciding:
            return []
        department = f"project__department__name_{'en' if english() else 'zh'}"
        rows = list(rows.order_by("submitted_at", "pk").values(*FIELDS, department))
        own = {j for j, p in deciding if p.pk == user.pk}
        delegators = {}
        for jurisdiction_id, principal in deciding:
            if jurisdiction_id not in own:
                delegators.setdefault(jurisdiction_id, person_name(principal))
        items = []
        for row in rows:
            filed = row["status"] == ChangeStatus.FILED
            items.append(
                InboxItem(
                    kind=self.kind,
                    key=str(row["pk"]),
                    what=_("Change filed (to acknowledge)") if filed else _("Change request (to decide)"),
                    url=_url(row["project_id"], row["pk"]),
                    project_id=row["project_id"],
                    project_code=row["project__code"],
                    project_title=row["project__title"],
                    department=row[department] or "",
                    amount_wan=row["project__total_investment_wan"],
                    since=row["submitted_at"],
                    for_whom=delegators.get(row["project__jurisdiction_id"], ""),
                    batch=("approve",) if filed else ("return",),
                    extra={"status": row["status"]},
                )
            )
        return items

    def count(self, user) -> int:
        rows, deciding = self._waiting(user)
        return rows.count() if deciding else 0

    def done(self, user) -> list[InboxItem]:
        department = f"project__department__name_{'en' if english() else 'zh'}"
        rows = list(
            ChangeRequest.objects.filter(Q(decided_by_id=user.pk) | Q(acknowledged_by_id=user.pk))
            .order_by("-decided_at", "-pk")
            .values(*FIELDS, department)[:DONE_LIMIT]
        )
        return [
            InboxItem(
                kind=self.kind,
                key=str(row["pk"]),
                what=str(self.label),
                url=_url(row["project_id"], row["pk"]),
                project_id=row["project_id"],
                project_code=row["project__code"],
                project_title=row["project__title"],
                department=row[department] or "",
                amount_wan=row["project__total_investment_wan"],
                since=row["acknowledged_at"] or row["decided_at"] or row["submitted_at"],
                outcome=_("Acknowledged")
                if row["status"] == ChangeStatus.FILED
                else str(CHANGE_STATUS_LABELS[row["status"]]),
            )
            for row in rows
        ]

    def decide(self, user, key: str, action: str, comment: str) -> None:
        """Batch: acknowledge ("approve") a filed change, or return a submitted one with the comment."""
        if action not in ("approve", "return"):
            raise ValidationFailed(
                _("Unknown action."), extra={"errors": {"action": [_("Choose approve or return.")]}}
            )
        if parsed_project_id(key) is None:
            raise NotFound()
        row = ChangeRequest.objects.filter(pk=int(key)).first()
        if row is None:
            raise NotFound()
        common = {"actor": user, "project_id": row.project_id, "request_id": row.pk}
        if action == "return":
            services.change_request_return(**common, reason=comment)
        elif row.status == ChangeStatus.FILED:
            services.change_request_acknowledge(**common, comment=comment)
        else:
            message = _(
                "A change's approval needs its document number and amount: open the change to decide it."
            )
            raise ValidationFailed(message, extra={"errors": {"action": [message]}})


changes = inbox_source(ChangeSource())
