"""The opinions source of the inbox: requests waiting on the user's bodies (会签待答复).

A request waits on everyone who may act for its body (role, and department when it has one) in
its jurisdiction, and on their delegates while a delegation is in force. Importing this module
(ApprovalsConfig.ready) also registers the opinions' facts and gates.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.acting import acting_memberships
from approvals.inbox.registry import InboxItem, inbox_source
from approvals.opinions import facts, gates, services  # noqa: F401  (registers the fact and the gate)
from approvals.opinions.models import Answer, OpinionRequest
from govproj.errors import NotFound, ValidationFailed
from govproj.i18n import english
from projects.models import Phase
from projects.selectors import parsed_project_id
from security.selectors import person_name

DONE_LIMIT = 500
ACTIONS = {"approve": Answer.AGREE, "return": Answer.DISAGREE}
_PLACEHOLDER = 987654321


def _condition(membership) -> Q:
    """The requests a membership's holder may answer: its role, its department or none, its jurisdiction."""
    condition = Q(project__jurisdiction_id=membership.jurisdiction_id, role=membership.role)
    if membership.department_id is None:
        return condition & Q(department_code="")
    return condition & (Q(department_id=membership.department_id) | Q(department_code=""))


def waiting_requests(user, memberships=None):
    """The open requests of projects in review that the user may answer (themselves or for a
    delegator), or None when they act for no body. `memberships`: acting_memberships(user), if read."""
    memberships = acting_memberships(user) if memberships is None else memberships
    if not memberships:
        return None
    condition = Q()
    for membership, _principal in memberships:
        condition |= _condition(membership)
    return OpinionRequest.objects.filter(
        condition, answer="", closed_at__isnull=True, project__phase=Phase.IN_REVIEW
    ).exclude(project__created_by_id=user.pk)


def _url_maker():
    template = reverse("projects:detail", args=[_PLACEHOLDER])
    return lambda pk: template.replace(str(_PLACEHOLDER), str(pk)) + "#opinions"


def _what(row: dict, lang: str) -> str:
    name = (row["name"] or {}).get(lang) or row["code"]
    giver = (row["giver_name"] or {}).get(lang) or ""
    return f"{name}（{giver}）" if giver else name


FIELDS = (
    "pk",
    "code",
    "round",
    "name",
    "giver_name",
    "role",
    "department_id",
    "department_code",
    "requested_at",
    "project_id",
    "project__code",
    "project__title",
    "project__jurisdiction_id",
    "project__total_investment_wan",
)


class OpinionSource:
    kind = "opinion"
    label = gettext_lazy("Department opinion")

    def pending(self, user) -> list[InboxItem]:
        memberships = acting_memberships(user)
        rows = waiting_requests(user, memberships)
        if rows is None:
            return []
        lang = "en" if english() else "zh"
        department = f"project__department__name_{lang}"
        url = _url_maker()
        items = []
        for row in rows.order_by("requested_at", "pk").values(*FIELDS, department):
            items.append(
                InboxItem(
                    kind=self.kind,
                    key=str(row["pk"]),
                    what=_what(row, lang),
                    url=url(row["project_id"]),
                    project_id=row["project_id"],
                    project_code=row["project__code"],
                    project_title=row["project__title"],
                    department=row[department] or "",
                    amount_wan=row["project__total_investment_wan"],
                    since=row["requested_at"],
                    for_whom=for_whom(row, memberships, user),
                    batch=("approve", "return"),
                    extra={"round": row["round"]},
                )
            )
        return items

    def count(self, user) -> int:
        rows = waiting_requests(user)
        return rows.count() if rows is not None else 0

    def done(self, user) -> list[InboxItem]:
        lang = "en" if english() else "zh"
        department = f"project__department__name_{lang}"
        url = _url_maker()
        rows = (
            OpinionRequest.objects.filter(answered_by_id=user.pk)
            .order_by("-answered_at", "-pk")
            .values(*FIELDS, department, "answer", "answered_at", "on_behalf_of_id")[:DONE_LIMIT]
        )
        rows = list(rows)
        delegators = {
            u.pk: person_name(u)
            for u in _users({row["on_behalf_of_id"] for row in rows if row["on_behalf_of_id"]})
        }
        labels = dict(Answer.choices)
        return [
            InboxItem(
                kind=self.kind,
                key=str(row["pk"]),
                what=_what(row, lang),
                url=url(row["project_id"]),
                project_id=row["project_id"],
                project_code=row["project__code"],
                project_title=row["project__title"],
                department=row[department] or "",
                amount_wan=row["project__total_investment_wan"],
                since=row["answered_at"],
                for_whom=delegators.get(row["on_behalf_of_id"], ""),
                outcome=str(labels.get(row["answer"], "")),
                extra={"round": row["round"]},
            )
            for row in rows
        ]

    def decide(self, user, key: str, action: str, comment: str) -> None:
        answer = ACTIONS.get(action)
        if answer is None:
            raise ValidationFailed(
                _("Unknown action."), extra={"errors": {"action": [_("Choose approve or return.")]}}
            )
        if parsed_project_id(key) is None:  # an id no row can have
            raise NotFound()
        project_id = OpinionRequest.objects.filter(pk=int(key)).values_list("project_id", flat=True).first()
        if project_id is None:
            raise NotFound()
        services.answer_opinion(
            actor=user, project_id=project_id, request_id=int(key), answer=answer, comment=comment
        )


def for_whom(row: dict, memberships, user) -> str:
    """The delegator's name when only a delegation lets the user answer this request; "" for their own."""
    delegators = []
    for membership, principal in memberships:
        if membership.jurisdiction_id != row["project__jurisdiction_id"] or membership.role != row["role"]:
            continue
        if row["department_code"] and membership.department_id != row["department_id"]:
            continue
        if principal.pk == user.pk:
            return ""
        delegators.append(principal)
    return person_name(delegators[0]) if delegators else ""


def _users(ids):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=sorted(ids)) if ids else []


opinions = inbox_source(OpinionSource())
