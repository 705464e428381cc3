"""The project, its master lifecycle, and the append-only audit trail.

The transition methods hold the graph only (ARCHITECTURE.md, "Lifecycle"); roles, rules,
locking and the audit event are the services' business (projects/services.py).
"""

from __future__ import annotations

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from guardian.models import GroupObjectPermission, UserObjectPermission

from govproj.caching import Memo, StampedQuerySet, bump, per_request, stamped
from govproj.chain import CHAIN_FIELDS, ChainedEvent, ChainQuerySet
from govproj.models import TimeStampedModel
from jurisdictions.models import ACCESS_STAMP, Department, Jurisdiction, Role, RulePack, memberships_of


class Phase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DECLARED = "declared", _("Declared")
    RETURNED = "returned", _("Returned for revision")
    IN_LIBRARY = "in_library", _("In the project library")
    PLANNED = "planned", _("In the annual plan")
    IN_REVIEW = "in_review", _("In review")
    REJECTED = "rejected", _("Rejected")
    APPROVED = "approved", _("Approved")
    IN_CONSTRUCTION = "in_construction", _("In construction")
    SUSPENDED = "suspended", _("Suspended")
    TRIAL_OPERATION = "trial_operation", _("Trial operation")
    IN_ACCEPTANCE = "in_acceptance", _("In acceptance")
    IN_OPERATION = "in_operation", _("In operation")
    TERMINATED = "terminated", _("Terminated")
    DECOMMISSIONED = "decommissioned", _("Decommissioned")


class FundingSource(models.TextChoices):
    FISCAL = "fiscal", _("Fiscal funds")
    SPECIAL_FUND = "special_fund", _("Special fund")
    SELF_RAISED = "self_raised", _("Self-raised")
    DONATED = "donated", _("Donated")
    OTHER = "other", _("Other")


PHASE_LABELS = dict(Phase.choices)

# Who may run each transition (roles are the product's, not a measure's: fixed in code).
# Separation of duties (the filer never decides) is enforced in the service.
TRANSITION_ROLES: dict[str, frozenset[str]] = {
    "declare": frozenset({Role.DEPARTMENT_STAFF}),
    "resubmit": frozenset({Role.DEPARTMENT_STAFF}),
    "withdraw": frozenset({Role.DEPARTMENT_STAFF}),
    "submit_for_review": frozenset({Role.DEPARTMENT_STAFF}),
    "start_construction": frozenset({Role.DEPARTMENT_STAFF}),
    "start_trial_operation": frozenset({Role.DEPARTMENT_STAFF}),
    "apply_for_acceptance": frozenset({Role.DEPARTMENT_STAFF}),
    "return_for_revision": frozenset({Role.REVIEWER}),
    "enter_library": frozenset({Role.REVIEWER}),
    "plan": frozenset({Role.REVIEWER}),
    "approve": frozenset({Role.REVIEWER}),
    "reject": frozenset({Role.REVIEWER}),
    "accept": frozenset({Role.REVIEWER}),
    "suspend": frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN}),
    "resume": frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN}),
    "terminate": frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN}),
    "decommission": frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN}),
}
# Run only by publishing an annual plan or an emergency addition to one (projects.plans.services):
# never offered on its own, on a page or by the API.
PLAN_ONLY_TRANSITIONS = frozenset({"plan"})
DECIDING_TRANSITIONS = frozenset(
    {"return_for_revision", "enter_library", "plan", "approve", "reject", "accept"}
)
TRANSITION_LABELS = {
    "declare": _("Declare"),
    "resubmit": _("Resubmit"),
    "withdraw": _("Withdraw the declaration"),
    "submit_for_review": _("Submit for review"),
    "start_construction": _("Start construction"),
    "start_trial_operation": _("Start trial operation"),
    "apply_for_acceptance": _("Apply for acceptance"),
    "return_for_revision": _("Return for revision"),
    "enter_library": _("Enter the project library"),
    "plan": _("Put in the annual plan"),
    "approve": _("Approve"),
    "reject": _("Reject"),
    "accept": _("Accept"),
    "suspend": _("Suspend"),
    "resume": _("Resume"),
    "terminate": _("Terminate"),
    "decommission": _("Decommission"),
}
# Every action an audit event may name, as people read it on the timeline.
EVENT_LABELS = {
    **TRANSITION_LABELS,
    "create": _("Created"),
    "update": _("Edited"),
    "admin_edit": _("Corrected by an administrator"),
    "document_upload": _("Document uploaded"),
    "document_reject": _("Document rejected"),
    "duplicate_decision": _("Duplicate check recorded"),
    "screening_answer": _("Screening answered"),
    "screening_review": _("Screening reviewed"),
    "plan_add": _("Added to the annual plan being compiled"),
    "plan_remove": _("Removed from the annual plan being compiled"),
    "stage_submit": _("Approval stage submitted"),
    "stage_withdraw": _("Approval stage withdrawn"),
    "stage_review_pass": _("Approval stage passed its review"),
    "stage_approve": _("Approval stage approved"),
    "stage_file": _("Approval stage filed"),
    "stage_return": _("Approval stage returned"),
    "opinions_requested": _("Department opinions requested"),
    "opinions_rerequested": _("Department opinions requested again"),
    "opinion_signer_added": _("Signer added to the department opinions"),
    "opinion_answer": _("Department opinion given"),
    "opinions_complete": _("Prerequisites complete"),
    "review_organise": _("Review step organised"),
    "review_pass": _("Review step passed"),
    "review_fail": _("Review step not passed"),
    "review_reopen": _("Review step taken again"),
    "expert_assign": _("Expert assigned"),
    "expert_withdraw": _("Expert assignment withdrawn"),
    "expert_opinion": _("Expert opinion given"),
    "third_party_review": _("Third-party review recorded"),
    # budgets.changes (调整、结余资金)
    "change_create": _("Change request drafted"),
    "change_update": _("Change request edited"),
    "change_submit": _("Change request submitted for approval"),
    "change_file": _("Change filed"),
    "change_new_declaration": _("Change needs a new declaration"),
    "change_withdraw": _("Change request withdrawn"),
    "change_approve": _("Change approved"),
    "change_return": _("Change request returned"),
    "change_reject": _("Change request rejected"),
    "change_acknowledge": _("Filed change acknowledged"),
    "change_new_project": _("New project started from a change"),
    "final_account_record": _("Final accounts recorded"),
    "surplus_return": _("Surplus return confirmed"),
    # projects.construction (监理、采购、年度报告、严重问题报告)
    "supervision_record": _("Supervision contract recorded"),
    "supervision_correct": _("Supervision contract corrected"),
    "procurement_record": _("Procurement and contract recorded"),
    "procurement_correct": _("Procurement and contract corrected"),
    "progress_report_submit": _("Yearly progress report submitted"),
    "incident_report": _("Serious delay, loss or change reported"),
    "incident_rectify": _("Rectification ordered"),
    "incident_rectified": _("Rectification reported done"),
    "incident_confirm": _("Rectification confirmed"),
    "incident_return": _("Rectification returned"),
    # budgets.om (运维经费)
    "om_create": _("O&M funding application drafted"),
    "om_submit": _("O&M funding application submitted"),
    "om_withdraw": _("O&M funding application withdrawn"),
    "om_approve": _("O&M funds approved"),
    "om_reduce": _("O&M funds approved with a reduced amount"),
    "om_refuse": _("O&M funds refused"),
    # acceptance.evaluation (自评价、后评价、双随机抽查)
    "self_evaluation": _("Self-evaluation submitted"),
    "post_evaluation_organise": _("Post-evaluation organised"),
    "post_evaluation_expert_assign": _("Expert assigned to the post-evaluation"),
    "post_evaluation_opinion": _("Post-evaluation expert rating given"),
    "post_evaluation_third_party": _("Third-party post-evaluation report recorded"),
    "post_evaluation_conclude": _("Post-evaluation concluded"),
    "random_check_drawn": _("Drawn for the random check"),
    "random_check_result": _("Random check result recorded"),
    # projects.decommission (停用)
    "decommission_plan": _("Stop plan made"),
    "data_disposal": _("Data disposal recorded"),
    "asset_disposal": _("Asset disposal recorded"),
    "decommission_filing": _("Decommissioning filing recorded"),
    "system_flag": _("System flag changed"),
    "finding": _("Finding recorded"),
    "deadline_waived": _("Deadline waived"),
    "nudge": _("Nudged"),  # 催办 (projects.nudges)
    "report_requested": _("Report requested"),  # projects.reports
    "status_update": _("System status updated by the department"),
    # acceptance.completion (试运行与验收)
    "trial_run_record": _("Trial run recorded"),
    "trial_run_stable": _("Trial run stable date recorded"),
    "acceptance_check_request": _("Check before acceptance asked for"),
    "acceptance_check_pass": _("Check before acceptance passed"),
    "acceptance_check_fail": _("Check before acceptance not passed"),
    "acceptance_delay_apply": _("Delayed acceptance applied for"),
    "acceptance_delay_grant": _("Delayed acceptance granted"),
    "acceptance_delay_refuse": _("Delayed acceptance refused"),
    "acceptance_apply": _("Acceptance application submitted"),
    "acceptance_pass": _("Acceptance passed"),
    "acceptance_fail": _("Acceptance not passed"),
    "acceptance_standard": _("Standard publication recorded"),
}
# Roles that see every project of their jurisdiction; department staff see their department's.
JURISDICTION_WIDE_ROLES = frozenset(
    {Role.REVIEWER, Role.FINANCE_OFFICER, Role.JURISDICTION_ADMIN, Role.SECURITY_REVIEWER, Role.AUDITOR}
)


# Renewed by every write to a project: list totals and year choices are cached under it.
PROJECTS_STAMP = "projects"


class ProjectQuerySet(StampedQuerySet):
    stamp_name = PROJECTS_STAMP

    def for_user(self, user, action: str = "view") -> ProjectQuerySet:
        """Projects the user may see: by jurisdiction-wide role, by department, or by a grant on the object.

        `action` is "view" or "change" (edit a draft: the project's own department only).
        The condition names only what the user has: a reviewer's list is `jurisdiction_id IN (…)`,
        which the (jurisdiction, created_at, id) index serves in order.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        memberships = memberships_of(user)
        staff = [m for m in memberships if m.role == Role.DEPARTMENT_STAFF]
        if action == "change":
            return self.filter(department_id__in=sorted({m.department_id for m in staff}))
        wide = {m.jurisdiction_id for m in memberships if m.role in JURISDICTION_WIDE_ROLES}
        departments = {m.department_id for m in staff if m.jurisdiction_id not in wide}
        granted = granted_project_ids(user)
        visible = [
            Q(**{field: sorted(ids)})
            for field, ids in (
                ("jurisdiction_id__in", wide),
                ("department_id__in", departments),
                ("pk__in", granted),
            )
            if ids
        ]
        if not visible:
            return self.none()
        condition = visible[0]
        for alternative in visible[1:]:
            condition |= alternative
        return self.filter(condition)


def granted_project_ids(user) -> frozenset[int]:
    """Projects a grant on the object lets the user see (an assigned expert), read once per request.

    django-guardian keeps object keys as text; reading the few granted ids first keeps its
    `id::varchar IN (…)` subquery, which scans every project, out of every list.
    """

    def read() -> frozenset[int]:
        content_type = ContentType.objects.get_for_model(Project)
        granted = (
            UserObjectPermission.objects.filter(
                user_id=user.pk, content_type=content_type, permission__codename="view_project"
            )
            .values_list("object_pk", flat=True)
            .union(
                GroupObjectPermission.objects.filter(
                    group__user=user.pk, content_type=content_type, permission__codename="view_project"
                ).values_list("object_pk", flat=True)
            )
        )
        return frozenset(int(pk) for pk in granted if pk.isascii() and pk.isdecimal())

    return per_request(("project-grants", user.pk), lambda: stamped(GRANTS, ACCESS_STAMP, user.pk, read))


GRANTS = Memo(size=4096)


@receiver(post_save, sender=UserObjectPermission)
@receiver(post_delete, sender=UserObjectPermission)
@receiver(post_save, sender=GroupObjectPermission)
@receiver(post_delete, sender=GroupObjectPermission)
@receiver(m2m_changed, sender=User.groups.through)
def _grants_changed(**kwargs) -> None:
    """Object grants (and the groups that carry them) decide who sees a project: see for_user.

    guardian's assign_perm and remove_perm on single objects save and delete rows, so they
    renew the stamp; a bulk grant through a queryset (bulk_create) must call bump(ACCESS_STAMP).
    """
    bump(ACCESS_STAMP)


class Project(ConcurrentTransitionMixin, TimeStampedModel):
    """A government IT project (政务信息化项目) under its jurisdiction's measure."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="projects"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="projects"
    )
    code = models.CharField(_("code"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(
        _("category"), max_length=60, help_text=_("a category of the measure's scope")
    )
    total_investment_wan = models.DecimalField(
        _("total investment (10k CNY)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("in 万元"),
    )
    funding_source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    year = models.PositiveIntegerField(_("plan year"))
    facts = models.JSONField(
        _("facts"),
        default=dict,
        blank=True,
        help_text=_("what the rules need to know that has no field of its own"),
    )
    rule_pack = models.ForeignKey(
        RulePack,
        verbose_name=_("rule pack version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
        help_text=_("pinned when the project is declared"),
    )
    phase = FSMField(_("phase"), default=Phase.DRAFT, choices=Phase.choices, protected=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False, help_text=_("counts every saved change (the API's ETag)")
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        # A total order (ties on created_at broken by id), so rows never repeat or vanish across
        # pages; the two indexes serve it for a jurisdiction's and a department's list.
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["jurisdiction", "phase"]),
            models.Index(fields=["jurisdiction", "year"]),
            models.Index(fields=["jurisdiction", "-created_at", "-id"], name="project_jurisdiction_newest"),
            models.Index(fields=["department", "-created_at", "-id"], name="project_department_newest"),
        ]
        triggers = [
            # A project's department belongs to the project's jurisdiction; the services check it
            # first, PostgreSQL refuses any write that gets past them (SQLite has no such trigger).
            pgtrigger.Trigger(
                name="department_in_jurisdiction",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func="""
                IF NOT EXISTS (
                    SELECT 1 FROM jurisdictions_department d
                    WHERE d.id = NEW.department_id AND d.jurisdiction_id = NEW.jurisdiction_id
                ) THEN
                    RAISE EXCEPTION 'department % does not belong to jurisdiction %',
                        NEW.department_id, NEW.jurisdiction_id USING ERRCODE = 'check_violation';
                END IF;
                RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def phase_label(self) -> str:
        """The phase in the reader's language (get_phase_display rebuilds the choices on every call)."""
        return PHASE_LABELS.get(self.phase, self.phase)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1  # callers hold the row lock (select_for_update), so no increment is lost
        super().save(*args, **kwargs)
        bump(PROJECTS_STAMP)

    # The master lifecycle. Each method is the graph only; see projects.services.transition_project.

    @transition(field=phase, source=Phase.DRAFT, target=Phase.DECLARED)
    def declare(self):
        pass

    @transition(field=phase, source=Phase.DECLARED, target=Phase.DRAFT)
    def withdraw(self):
        """Staff take a declaration back before the reviewer decides (the service unpins the pack)."""

    @transition(field=phase, source=[Phase.DECLARED, Phase.IN_REVIEW], target=Phase.RETURNED)
    def return_for_revision(self):
        pass

    @transition(field=phase, source=Phase.RETURNED, target=Phase.DECLARED)
    def resubmit(self):
        pass

    @transition(field=phase, source=Phase.DECLARED, target=Phase.IN_LIBRARY)
    def enter_library(self):
        pass

    @transition(field=phase, source=Phase.IN_LIBRARY, target=Phase.PLANNED)
    def plan(self):
        pass

    @transition(field=phase, source=Phase.PLANNED, target=Phase.IN_REVIEW)
    def submit_for_review(self):
        pass

    @transition(field=phase, source=Phase.IN_REVIEW, target=Phase.APPROVED)
    def approve(self):
        pass

    @transition(field=phase, source=[Phase.DECLARED, Phase.IN_REVIEW], target=Phase.REJECTED)
    def reject(self):
        pass

    @transition(field=phase, source=Phase.APPROVED, target=Phase.IN_CONSTRUCTION)
    def start_construction(self):
        pass

    @transition(field=phase, source=Phase.IN_CONSTRUCTION, target=Phase.TRIAL_OPERATION)
    def start_trial_operation(self):
        pass

    @transition(field=phase, source=Phase.TRIAL_OPERATION, target=Phase.IN_ACCEPTANCE)
    def apply_for_acceptance(self):
        pass

    @transition(field=phase, source=Phase.IN_ACCEPTANCE, target=Phase.IN_OPERATION)
    def accept(self):
        pass

    @transition(field=phase, source=[Phase.IN_CONSTRUCTION, Phase.TRIAL_OPERATION], target=Phase.SUSPENDED)
    def suspend(self):
        pass

    @transition(field=phase, source=Phase.SUSPENDED, target=Phase.IN_CONSTRUCTION)
    def resume(self):
        pass

    @transition(
        field=phase,
        source=[
            Phase.DECLARED,
            Phase.RETURNED,
            Phase.IN_LIBRARY,
            Phase.PLANNED,
            Phase.APPROVED,
            Phase.IN_CONSTRUCTION,
            Phase.SUSPENDED,
        ],
        target=Phase.TERMINATED,
    )
    def terminate(self):
        pass

    @transition(field=phase, source=Phase.IN_OPERATION, target=Phase.DECOMMISSIONED)
    def decommission(self):
        pass


class AuditEventQuerySet(ChainQuerySet):
    def record(self, project: Project, actor, action: str, *, from_phase: str = "", **fields) -> AuditEvent:
        """Append one event to the project's chain; jurisdiction and phase reached come from the project."""
        return self.append(
            f"project:{project.pk}",
            project=project,
            jurisdiction_id=project.jurisdiction_id,
            actor=actor,
            action=action,
            from_phase=from_phase,
            to_phase=project.phase,
            **fields,
        )


class AuditEvent(ChainedEvent):
    """One thing that happened to a project, with the rule-pack version and verdicts it applied.

    Append-only and hash-chained per project (govproj.chain); PostgreSQL refuses UPDATE and DELETE.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="events"
    )
    jurisdiction = models.ForeignKey(Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=40)
    from_phase = models.CharField(_("from"), max_length=30, blank=True)
    to_phase = models.CharField(_("to"), max_length=30, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    rule_pack = models.ForeignKey(
        RulePack, verbose_name=_("rule pack version"), null=True, blank=True, on_delete=models.PROTECT
    )
    verdicts = models.JSONField(_("verdicts applied"), default=list, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()
    chain_fields = (
        *CHAIN_FIELDS,
        "project_id",
        "jurisdiction_id",
        "actor_id",
        "action",
        "from_phase",
        "to_phase",
        "comment",
        "rule_pack_id",
        "verdicts",
        "changes",
    )

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="audit_event_chain_unique")]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.project_id} {self.action} {self.from_phase}→{self.to_phase}"

    @property
    def action_label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))

    @property
    def from_label(self) -> str:
        return Phase(self.from_phase).label if self.from_phase else ""

    @property
    def to_label(self) -> str:
        return Phase(self.to_phase).label if self.to_phase else ""


class ProjectSequence(models.Model):
    """Per jurisdiction and year counter behind generated project codes (e.g. BAOTOU-2026-0007)."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="project_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction_id}/{self.year}: {self.last}"


# Documents live in their own module of this app (projects.documents); importing the model here
# registers it with the app.
from projects.construction.models import *  # noqa: E402, F403
from projects.deadlines.models import *  # noqa: E402, F403
from projects.decommission.models import *  # noqa: E402, F403
from projects.documents.models import ProjectDocument  # noqa: E402, F401

# Duplicate findings likewise (projects.duplicates).
from projects.duplicates.models import DuplicateFinding  # noqa: E402, F401
from projects.findings.models import *  # noqa: E402, F403
from projects.notifications.models import *  # noqa: E402, F403
from projects.nudges.models import *  # noqa: E402, F403

# The annual plan likewise (projects.plans).
from projects.plans.models import AnnualPlan, AnnualPlanEntry  # noqa: E402, F401
from projects.reports.models import *  # noqa: E402, F403

# Screening answers likewise (projects.screening).
from projects.screening.models import ScreeningAnswer  # noqa: E402, F401
