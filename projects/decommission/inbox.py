"""Inbox source of decommissioning (kind "decommission"): a filing to acknowledge (the data bureau's
reviewer, the finance officer) and a decommissioning with everything recorded, waiting for the reviewer.

A fixed number of queries whatever the number of items; nothing here is decided in a batch.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.inbox.registry import InboxItem, inbox_source
from govproj.errors import ValidationFailed
from govproj.i18n import in_language
from jurisdictions.models import Role, memberships_of
from projects.decommission.models import DataDisposal, Decommission, DecommissionStatus


def _item(key, what, record, since) -> InboxItem:
    project = record.project
    return InboxItem(
        kind="decommission",
        key=key,
        what=what,
        url=reverse("projects:detail", kwargs={"pk": project.pk}) + "#decommission",
        project_id=project.pk,
        project_code=project.code,
        project_title=project.title,
        department=in_language({"zh": project.department.name_zh, "en": project.department.name_en}),
        amount_wan=project.total_investment_wan,
        since=since,
    )


class DecommissionSource:
    kind = "decommission"
    label = gettext_lazy("System decommissioning")

    def pending(self, user) -> list[InboxItem]:
        if not user.is_authenticated:
            return []
        held = memberships_of(user)
        reviewing = sorted(
            {m.jurisdiction_id for m in held if m.role in (Role.REVIEWER, Role.JURISDICTION_ADMIN)}
        )
        finance = sorted({m.jurisdiction_id for m in held if m.role == Role.FINANCE_OFFICER})
        ids = sorted(set(reviewing) | set(finance))
        if not ids:
            return []
        rows = (
            Decommission.objects.filter(
                jurisdiction_id__in=ids, status=DecommissionStatus.PLANNED, project__phase="in_operation"
            )
            .annotate(disposed=Exists(DataDisposal.objects.filter(decommission=OuterRef("pk"))))
            .select_related("project__department")
            .order_by("planned_at", "pk")
        )
        items = []
        for r in rows:
            if r.jurisdiction_id in reviewing and not r.data_bureau_filed_at:
                items.append(
                    _item(
                        f"data_bureau:{r.pk}",
                        _("Decommissioning filing with the data bureau"),
                        r,
                        r.planned_at,
                    )
                )
            elif (
                r.jurisdiction_id in finance and r.jurisdiction_id not in reviewing and not r.finance_filed_at
            ):
                items.append(
                    _item(
                        f"finance:{r.pk}",
                        _("Decommissioning filing with the finance bureau"),
                        r,
                        r.planned_at,
                    )
                )
            elif (
                r.jurisdiction_id in reviewing
                and r.disposed
                and r.assets_recorded_at
                and r.data_bureau_filed_at
                and r.finance_filed_at
            ):
                items.append(_item(f"complete:{r.pk}", _("Decommission the system"), r, r.finance_filed_at))
        return items

    def done(self, user) -> list[InboxItem]:
        return []

    def decide(self, user, key: str, action: str, comment: str) -> None:
        raise ValidationFailed(_("Decommissioning is recorded on its own pages, step by step."))


inbox_source(DecommissionSource())
