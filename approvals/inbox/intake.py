"""The intake source of the inbox: declared projects waiting for a reviewer's decision (入库 or 退回).

A declared project waits on every reviewer of its jurisdiction. While a reviewer's delegation is in
force, the delegate does the delegator's share: the jurisdiction's declarations read 「代XX」 for
them and each decision records `on_behalf_of` (「受托人（代委托人）」 on the timeline).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import DateTimeField, F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import ConcurrentTransition

from approvals.acting import Acting, acting_memberships
from approvals.inbox.registry import InboxItem, inbox_source
from govproj.errors import ConcurrentUpdate, NotFound, NotPermitted, ValidationFailed
from govproj.i18n import english
from jurisdictions.models import Role
from projects.intake.selectors import DECLARING_ACTIONS
from projects.models import TRANSITION_LABELS, AuditEvent, Phase, Project
from projects.selectors import filer_ids, project_for
from projects.services import run_locked_transition
from security.selectors import person_name

ACTIONS = {"approve": "enter_library", "return": "return_for_revision"}
DECISIONS = ("enter_library", "return_for_revision", "reject")
DONE_LIMIT = 500
_PLACEHOLDER = 987654321


def _url_maker():
    template = reverse("projects:detail", args=[_PLACEHOLDER])
    return lambda pk: template.replace(str(_PLACEHOLDER), str(pk))


def principals(user) -> dict[int, object]:
    """Jurisdiction id → whose authority the user's intake decisions there carry.

    The user themselves where they review; the delegator where a reviewer's delegation to them is in
    force (the delegate does the delegator's share while it lasts).
    """
    found: dict[int, object] = {}
    for membership, principal in acting_memberships(user):
        if membership.role != Role.REVIEWER:
            continue
        if principal.pk == user.pk:
            found.setdefault(membership.jurisdiction_id, principal)
        else:
            current = found.get(membership.jurisdiction_id)
            if current is None or current.pk == user.pk:
                found[membership.jurisdiction_id] = principal
    return found


def _declared(jurisdiction_ids):
    latest = (
        AuditEvent.objects.filter(project_id=OuterRef("pk"), action__in=DECLARING_ACTIONS)
        .order_by()
        .values("project_id")
        .annotate(latest=Max("at"))
        .values("latest")
    )
    return Project.objects.filter(
        phase=Phase.DECLARED, jurisdiction_id__in=sorted(jurisdiction_ids)
    ).annotate(declared_at=Coalesce(Subquery(latest, output_field=DateTimeField()), F("created_at")))


class IntakeSource:
    kind = "intake"
    label = gettext_lazy("Declaration")

    def pending(self, user) -> list[InboxItem]:
        found = principals(user)
        if not found:
            return []
        name = "department__name_en" if english() else "department__name_zh"
        rows = (
            _declared(found)
            .order_by("declared_at", "pk")
            .values("pk", "code", "title", "jurisdiction_id", name, "total_investment_wan", "declared_at")
        )
        url = _url_maker()
        what = _("Decide on the declaration (enter the library or return)")
        labels = {jid: ("" if p.pk == user.pk else person_name(p)) for jid, p in found.items()}
        return [
            InboxItem(
                kind=self.kind,
                key=str(row["pk"]),
                what=what,
                url=url(row["pk"]),
                project_id=row["pk"],
                project_code=row["code"],
                project_title=row["title"],
                department=row[name] or "",
                amount_wan=row["total_investment_wan"],
                since=row["declared_at"],
                for_whom=labels[row["jurisdiction_id"]],
                batch=("approve", "return"),
            )
            for row in rows
        ]

    def count(self, user) -> int:
        found = principals(user)
        return _declared(found).count() if found else 0

    def done(self, user) -> list[InboxItem]:
        name = "project__department__name_en" if english() else "project__department__name_zh"
        rows = (
            AuditEvent.objects.filter(actor_id=user.pk, action__in=DECISIONS)
            .order_by("-at", "-pk")
            .values(
                "pk",
                "action",
                "at",
                "changes",
                "project_id",
                "project__code",
                "project__title",
                name,
                "project__total_investment_wan",
            )[:DONE_LIMIT]
        )
        url = _url_maker()
        items = []
        for row in rows:
            changes = row["changes"] if isinstance(row["changes"], dict) else {}
            behalf = changes.get("on_behalf_of") or {}
            items.append(
                InboxItem(
                    kind=self.kind,
                    key=str(row["project_id"]),
                    what=_("Decide on the declaration (enter the library or return)"),
                    url=url(row["project_id"]),
                    project_id=row["project_id"],
                    project_code=row["project__code"],
                    project_title=row["project__title"],
                    department=row[name] or "",
                    amount_wan=row["project__total_investment_wan"],
                    since=row["at"],
                    for_whom=behalf.get("name", "") if isinstance(behalf, dict) else "",
                    outcome=str(TRANSITION_LABELS.get(row["action"], "")),
                )
            )
        return items

    def decide(self, user, key: str, action: str, comment: str) -> None:
        name = ACTIONS.get(action)
        if name is None:
            raise ValidationFailed(
                _("Unknown action."), extra={"errors": {"action": [_("Choose approve or return.")]}}
            )
        try:
            project_id = int(key)
        except (TypeError, ValueError):
            raise NotFound() from None
        try:
            with transaction.atomic():
                project_for(user, project_id)  # 404 for what the user cannot see
                project = (
                    Project.objects.select_for_update(of=("self",))
                    .select_related("jurisdiction", "rule_pack")
                    .get(pk=project_id)
                )
                principal = principals(user).get(project.jurisdiction_id)
                acting = Acting(user, principal or user)
                if acting.on_behalf and principal.pk in filer_ids(project):
                    raise NotPermitted(
                        _("Whoever filed, declared or submitted a project may not decide on it.")
                    )
                run_locked_transition(
                    actor=user, project=project, name=name, comment=comment, changes=acting.audit()
                )
        except ConcurrentTransition as exc:
            raise ConcurrentUpdate() from exc


intake = inbox_source(IntakeSource())
