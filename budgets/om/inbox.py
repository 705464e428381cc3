"""The O&M funding applications' source of the finance officer's inbox (待办 / 已办), kind "om".

Submitted applications of the finance officer's jurisdictions wait on them (not those they filed);
what they decided is their 已办. One query each way, however many wait.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.inbox.registry import InboxItem, inbox_source
from budgets.om import services
from budgets.om.models import DECIDED, OM_STATUS_LABELS, OmApplication
from budgets.om.selectors import waiting
from govproj.errors import NotFound, ValidationFailed
from govproj.i18n import english
from projects.selectors import parsed_project_id

DONE_LIMIT = 500
_PLACEHOLDER = (987654321, 987654322)
FIELDS = (
    "pk",
    "year",
    "amount_wan",
    "status",
    "submitted_at",
    "decided_at",
    "project_id",
    "project__code",
    "project__title",
)


def _url_maker():
    template = reverse("projects:om-detail", args=list(_PLACEHOLDER))
    first, second = (str(n) for n in _PLACEHOLDER)
    return lambda project_id, pk: template.replace(first, str(project_id)).replace(second, str(pk))


def _what(row) -> str:
    return _("%(year)s O&M funds") % {"year": row["year"]}


class OmSource:
    kind = "om"
    label = gettext_lazy("O&M funding")

    def pending(self, user) -> list[InboxItem]:
        if not user.is_authenticated:
            return []
        department = f"project__department__name_{'en' if english() else 'zh'}"
        rows = list(waiting(user).values(*FIELDS, department))
        url = _url_maker()
        return [
            InboxItem(
                kind=self.kind,
                key=str(row["pk"]),
                what=_what(row),
                url=url(row["project_id"], row["pk"]),
                project_id=row["project_id"],
                project_code=row["project__code"],
                project_title=row["project__title"],
                department=row[department] or "",
                amount_wan=row["amount_wan"],
                since=row["submitted_at"],
                extra={"year": row["year"]},
            )
            for row in rows
        ]

    def count(self, user) -> int:
        return waiting(user).count() if user.is_authenticated else 0

    def done(self, user) -> list[InboxItem]:
        if not user.is_authenticated:
            return []
        department = f"project__department__name_{'en' if english() else 'zh'}"
        rows = list(
            OmApplication.objects.filter(decided_by_id=user.pk, status__in=DECIDED)
            .order_by("-decided_at", "-pk")
            .values(*FIELDS, department)[:DONE_LIMIT]
        )
        url = _url_maker()
        return [
            InboxItem(
                kind=self.kind,
                key=str(row["pk"]),
                what=_what(row),
                url=url(row["project_id"], row["pk"]),
                project_id=row["project_id"],
                project_code=row["project__code"],
                project_title=row["project__title"],
                department=row[department] or "",
                amount_wan=row["amount_wan"],
                since=row["decided_at"],
                outcome=str(OM_STATUS_LABELS[row["status"]]),
            )
            for row in rows
        ]

    def decide(self, user, key: str, action: str, comment: str) -> None:
        """Batch: "approve" approves as requested; "return" refuses with the comment as the reason."""
        if action not in ("approve", "return"):
            raise ValidationFailed(
                _("Unknown action."), extra={"errors": {"action": [_("Choose approve or return.")]}}
            )
        pk = parsed_project_id(key)
        row = OmApplication.objects.filter(pk=pk).values("pk", "project_id").first() if pk else None
        if row is None:
            raise NotFound()
        services.om_decide(
            actor=user,
            project_id=row["project_id"],
            application_id=row["pk"],
            decision="approve" if action == "approve" else "refuse",
            reason=comment,
        )


om = inbox_source(OmSource())
