"""Write-side services for jurisdictions: publishing rule-pack versions, people and their roles."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from govproj.errors import NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Jurisdiction, Membership, Role, RulePack, content_hash, forget_memberships
from jurisdictions.rules.errors import PackError
from jurisdictions.rules.schema import RulePackSpec
from security.models import Kind
from security.services import security_event_record

# The `source` of a version published in the browser: "editor:<username>" (a file's is its name).
EDITOR_SOURCE = "editor:"


@dataclass(frozen=True)
class Published:
    pack: RulePack
    created: bool


@transaction.atomic
def publish_rule_pack(spec: RulePackSpec, content: dict, *, source: str, user=None) -> Published:
    """Store `content` as the jurisdiction's next version unless it equals the latest one.

    The jurisdiction row is created or renamed from the pack's header. Versions are never
    edited: a project keeps the version it pinned when it was declared.
    """
    info = spec.jurisdiction
    parent = Jurisdiction.objects.filter(code=info.parent).first() if info.parent else None
    if info.parent and parent is None:
        raise PackError(
            [
                {
                    "field": "jurisdiction.parent",
                    "line": None,
                    "problem": f"unknown jurisdiction `{info.parent}`",
                }
            ]
        )
    jurisdiction, _ = Jurisdiction.objects.select_for_update().update_or_create(
        code=info.code,
        defaults={"name_zh": info.name.zh, "name_en": info.name.en, "level": info.level, "parent": parent},
        create_defaults={
            "name_zh": info.name.zh,
            "name_en": info.name.en,
            "level": info.level,
            "parent": parent,
            "project_code_prefix": info.code.upper(),
        },
    )
    latest = RulePack.objects.filter(jurisdiction=jurisdiction).order_by("-version").first()
    if latest is not None and latest.content_hash == content_hash(content):
        return Published(latest, created=False)
    pack = RulePack.objects.create(
        jurisdiction=jurisdiction,
        version=(latest.version + 1) if latest else 1,
        content=content,
        source=source,
        measure_title=spec.measure.title.zh,
        effective_from=spec.effective_from,
        effective_to=spec.effective_to,
        note=spec.edition.note if spec.edition else "",
        created_by=user,
    )
    return Published(pack, created=True)


# ---------------------------------------------------------------------------- people and roles
# Who may hold which role is the jurisdiction admin's business; every grant, change and
# revocation goes through these services, which refuse self-grants and write the security log.


def _check_admin(*, actor, user, jurisdiction: Jurisdiction) -> None:
    """The actor administers the jurisdiction and is not acting on their own roles."""
    if actor.is_superuser:
        return
    if not Jurisdiction.objects.for_user(actor, "change").filter(pk=jurisdiction.pk).exists():
        raise NotPermitted(_("Only this jurisdiction's administrators may manage its people."))
    if user is not None and user.pk == actor.pk:
        raise NotPermitted(_("You cannot grant, change or revoke your own roles."))


def _check_membership(*, actor, user, jurisdiction: Jurisdiction, role: str, department) -> None:
    """Refuse what no admin may do, whoever they are: the reason names the field."""
    _check_admin(actor=actor, user=user, jurisdiction=jurisdiction)
    if role not in Role.values:
        raise ValidationFailed(extra={"errors": {"role": [_("Unknown role.")]}})
    if role == Role.DEPARTMENT_STAFF and department is None:
        raise ValidationFailed(
            _("Department staff need a department."),
            extra={"errors": {"department": [_("Department staff need a department.")]}},
        )
    # Other roles may name the body they act for (a review step's or an opinion's department in the
    # pack's review section, an expert's own department for conflicts of interest).
    if department is not None and department.jurisdiction_id != jurisdiction.pk:
        raise ValidationFailed(
            _("The department is not in this jurisdiction."),
            extra={"errors": {"department": [_("The department is not in this jurisdiction.")]}},
        )


def _membership_state(membership: Membership | None) -> dict | None:
    if membership is None:
        return None
    return {
        "user": membership.user.username,
        "jurisdiction": membership.jurisdiction.code,
        "role": membership.role,
        "department": membership.department.code if membership.department_id else None,
    }


def _check_person(*, actor, user) -> None:
    """Admins manage their own jurisdictions' people: not a stranger found by id."""
    if actor.is_superuser:
        return
    administered = Jurisdiction.objects.for_user(actor, "change")
    if not Membership.objects.filter(user=user, jurisdiction__in=administered).exists():
        raise NotPermitted(_("This person is not one of your jurisdiction's people."))


def membership_check(*, actor, membership: Membership, new_account: bool = False) -> dict | None:
    """Everything that would make `membership_save` refuse; returns the state before (None: a grant).

    Forms call it to show the refusal beside the field before anything is written.
    """
    if not new_account:
        _check_person(actor=actor, user=membership.user)
    before = None
    if membership.pk:
        old = Membership.objects.select_related("user", "jurisdiction", "department").get(pk=membership.pk)
        # The admin must also hold the jurisdiction the membership is moved out of.
        _check_admin(actor=actor, user=old.user, jurisdiction=old.jurisdiction)
        before = _membership_state(old)
    _check_membership(
        actor=actor,
        user=membership.user,
        jurisdiction=membership.jurisdiction,
        role=membership.role,
        department=membership.department,
    )
    duplicate = Membership.objects.filter(
        user=membership.user, jurisdiction=membership.jurisdiction, role=membership.role
    ).exclude(pk=membership.pk)
    if duplicate.exists():
        raise ValidationFailed(
            _("This person already holds this role here."),
            extra={"errors": {"role": [_("This person already holds this role here.")]}},
        )
    return before


@transaction.atomic
def membership_save(*, actor, membership: Membership, request=None, new_account: bool = False) -> Membership:
    """Grant a role (new membership) or change one (old → new); both recorded in the security log.

    `new_account`: the user was created a moment ago by `user_create`, in this transaction.
    """
    if membership.pk:
        Membership.objects.select_for_update().filter(pk=membership.pk).first()
    before = membership_check(actor=actor, membership=membership, new_account=new_account)
    membership.full_clean(validate_unique=False)
    membership.save()
    forget_memberships(membership.user_id)
    after = _membership_state(membership)
    if before != after:
        security_event_record(
            kind=Kind.MEMBERSHIP_CHANGED if before else Kind.MEMBERSHIP_GRANTED,
            request=request,
            actor=actor,
            subject_user=membership.user,
            jurisdiction=membership.jurisdiction,
            target=f"jurisdictions.membership:{membership.pk} {membership.user.username}",
            data={"old": before, "new": after},
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership_id: int, reason: str = "", request=None) -> None:
    """Take a role away; the security log keeps who held what."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "jurisdiction", "department")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound()
    _check_admin(actor=actor, user=membership.user, jurisdiction=membership.jurisdiction)
    before = _membership_state(membership)
    models.Model.delete(membership)
    forget_memberships(membership.user_id)
    security_event_record(
        kind=Kind.MEMBERSHIP_REVOKED,
        request=request,
        actor=actor,
        subject_user=membership.user,
        jurisdiction=membership.jurisdiction,
        target=f"jurisdictions.membership:{membership_id} {membership.user.username}",
        reason=reason,
        data={"old": before, "new": None},
    )


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    jurisdiction: Jurisdiction,
    role: str,
    department=None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    request=None,
):
    """A new account together with its first role, by the jurisdiction's admin (no platform superuser)."""
    _check_membership(actor=actor, user=None, jurisdiction=jurisdiction, role=role, department=department)
    User = get_user_model()
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    errors = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise ValidationFailed(extra={"errors": errors})
    user.set_password(password)
    user.save()
    security_event_record(
        kind=Kind.USER_CREATED,
        request=request,
        actor=actor,
        subject_user=user,
        jurisdiction=jurisdiction,
        target=f"{user._meta.label_lower}:{user.pk} {user.username}",
    )
    membership_save(
        actor=actor,
        membership=Membership(user=user, jurisdiction=jurisdiction, role=role, department=department),
        request=request,
        new_account=True,
    )
    return user
