"""The tenant and its rule packs: Jurisdiction, Department, Membership, RulePack, calendar overrides."""

from __future__ import annotations

import hashlib
import json

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from govproj.caching import Memo, StampedQuerySet, bump, forget_per_request, per_request, stamped
from govproj.i18n import english
from govproj.models import TimeStampedModel
from jurisdictions.rules.schema import RulePackSpec, validate_pack

# Renewed by every change to who may see what: memberships here, object grants (projects.models).
ACCESS_STAMP = "access"


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    COUNTY = "county", _("County")


class Role(models.TextChoices):
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    REVIEWER = "reviewer", _("Reviewer")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    JURISDICTION_ADMIN = "jurisdiction_admin", _("Jurisdiction admin")
    EXPERT = "expert", _("Expert")
    SECURITY_REVIEWER = "security_reviewer", _("Security reviewer")
    AUDITOR = "auditor", _("Auditor")


class BilingualName(models.Model):
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if english() else self.name_zh


class JurisdictionQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> JurisdictionQuerySet:
        """Jurisdictions the user belongs to; `change` needs the jurisdiction-admin role."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        roles = [Role.JURISDICTION_ADMIN] if action == "change" else list(Role.values)
        return self.filter(memberships__user=user, memberships__role__in=roles).distinct()


class Jurisdiction(BilingualName, TimeStampedModel):
    """A tenant: a government whose measure governs its projects (包头, 红山, 南充, 莱州, 鄂尔多斯)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    project_code_prefix = models.CharField(_("project code prefix"), max_length=10)
    is_active = models.BooleanField(_("active"), default=True)

    objects = JurisdictionQuerySet.as_manager()

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["code"]


class TenantQuerySet(models.QuerySet):
    """Rows owned by a jurisdiction: visible to members of that jurisdiction."""

    def for_user(self, user, action: str = "view") -> models.QuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(jurisdiction__memberships__user=user).distinct()


class Department(BilingualName, TimeStampedModel):
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="departments"
    )
    code = models.SlugField(_("code"), max_length=40)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["jurisdiction", "code"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "code"], name="department_code_unique")
        ]
        triggers = [
            # Projects and staff hang off a department through its jurisdiction; moving it would
            # move them into another tenant behind everyone's back.
            pgtrigger.Protect(
                name="jurisdiction_fixed",
                operation=pgtrigger.Update,
                condition=pgtrigger.AnyChange("jurisdiction"),
            )
        ]


class MembershipQuerySet(StampedQuerySet, TenantQuerySet):
    """Bulk writes renew the access stamp too (single rows do it through the signals below)."""

    stamp_name = ACCESS_STAMP


class Membership(TimeStampedModel):
    """A user's role in a jurisdiction; department staff also name their department."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "jurisdiction", "role"], name="membership_unique"),
            models.CheckConstraint(
                condition=~Q(role="department_staff") | Q(department__isnull=False),
                name="department_staff_has_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.jurisdiction.code} · {self.get_role_display()}"


# Renewed whenever a version is published: which version is in force is cached under it.
RULE_PACKS_STAMP = "rule-packs"
# Validated specs of pack versions, per process. A version is immutable, and the key holds its
# content hash as well as its id, so an entry can never describe other content.
SPECS = Memo(size=64)


MEMBERSHIPS = Memo(size=4096)


def memberships_of(user) -> tuple[Membership, ...]:
    """The user's memberships: per process until a membership changes, and fixed for a request.

    A service that changes them within a request calls `forget_memberships`.
    """
    return per_request(
        ("memberships", user.pk),
        lambda: stamped(
            MEMBERSHIPS,
            ACCESS_STAMP,
            user.pk,
            lambda: tuple(Membership.objects.filter(user_id=user.pk)),
        ),
    )


@receiver(post_save, sender="jurisdictions.Membership")
@receiver(post_delete, sender="jurisdictions.Membership")
def _membership_changed(**kwargs) -> None:
    bump(ACCESS_STAMP)


def forget_memberships(user_id: int) -> None:
    forget_per_request(("memberships", user_id))


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class RulePackQuerySet(TenantQuerySet):
    def delete(self):
        raise TypeError("Rule pack versions are immutable and kept for the projects that pinned them.")

    def update(self, **kwargs):
        raise TypeError("Rule pack versions are immutable; publish a new version instead.")

    def in_force_on(self, day):
        """The latest version whose measure had taken effect by `day` (if since expired, it is flagged)."""
        return in_force(self.defer("content"), day)


def in_force(versions, day):
    """Of one jurisdiction's versions, the latest that had taken effect by `day`, else the latest."""
    versions = list(versions)
    started = [pack for pack in versions if pack.effective_from <= day]
    return max(started or versions, key=lambda pack: pack.version, default=None)


class RulePack(models.Model):
    """One immutable version of a jurisdiction's rule pack. Editing creates a new version."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="rule_packs"
    )
    version = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash"), max_length=64, editable=False)
    source = models.CharField(
        _("source"), max_length=300, help_text=_("file or editor the version came from")
    )
    measure_title = models.CharField(_("measure"), max_length=300)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    note = models.TextField(_("change note"), blank=True, help_text=_("what this version changed"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    objects = RulePackQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule pack version")
        verbose_name_plural = _("rule pack versions")
        ordering = ["jurisdiction", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "version"], name="rule_pack_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction.code} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A rule pack version is immutable; publish a new version instead.")
        self.content_hash = content_hash(self.content)
        super().save(*args, **kwargs)
        bump(RULE_PACKS_STAMP)  # another version may now be the one in force

    def delete(self, *args, **kwargs):
        raise ValueError("A rule pack version is immutable and kept for the projects that pinned it.")

    @property
    def spec(self) -> RulePackSpec:
        """The validated spec: validated once per process per version (`content` may be deferred)."""
        if self.pk is None:
            return validate_pack(self.content)
        return SPECS.get_or_compute((self.pk, self.content_hash), lambda: validate_pack(self.content))

    @property
    def label(self) -> str:
        return f"{self.jurisdiction.code} v{self.version}"


class DraftStatus(models.TextChoices):
    OPEN = "open", _("Being edited")
    PUBLISHED = "published", _("Published")
    DISCARDED = "discarded", _("Discarded")


class RulePackDraft(TimeStampedModel):
    """A jurisdiction admin's working copy of a pack: edited freely, never read by the engine for projects.

    One open draft per jurisdiction. `revision` goes up with every save; a save that names an
    older revision is refused (two admins editing at once: neither loses the other's work silently).
    Publishing turns it into the next immutable RulePack version.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="pack_drafts"
    )
    based_on = models.ForeignKey(
        RulePack,
        verbose_name=_("based on"),
        on_delete=models.PROTECT,
        related_name="drafts",
        help_text=_("the version the draft was copied from"),
    )
    successor = models.BooleanField(
        _("successor measure"),
        default=False,
        help_text=_("drafted for the measure that follows a lapsed one"),
    )
    content = models.JSONField(_("content"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=DraftStatus.choices, default=DraftStatus.OPEN
    )
    published_as = models.OneToOneField(
        RulePack,
        verbose_name=_("published as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_from",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule pack draft")
        verbose_name_plural = _("rule pack drafts")
        ordering = ["jurisdiction", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction"],
                condition=Q(status="open"),
                name="rule_pack_draft_one_open",
                violation_error_message=_("This jurisdiction has a draft being edited already."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction.code} draft r{self.revision}"

    @property
    def is_open(self) -> bool:
        return self.status == DraftStatus.OPEN


CALENDAR_STAMP = "working-calendar"


class CalendarQuerySet(StampedQuerySet):
    """Bulk writes invalidate the cached calendars too (single rows do it in `save` and `delete`)."""

    stamp_name = CALENDAR_STAMP


class CalendarRow(models.Model):
    """A row of the working-day calendar: writing one invalidates every cached calendar."""

    objects = CalendarQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        bump(CALENDAR_STAMP)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        bump(CALENDAR_STAMP)
        return result


class CalendarDay(CalendarRow):
    """A holiday or make-up workday (调休) for a year chinesecalendar does not know, or a local change.

    Rows without a jurisdiction are national; a jurisdiction's own row wins over the national one.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), null=True, blank=True, on_delete=models.CASCADE
    )
    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(
        _("working day"), help_text=_("ticked: make-up workday; unticked: day off")
    )
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("e.g. 春节, 国庆节调休"))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=Q(jurisdiction__isnull=True), name="calendar_day_national_unique"
            ),
            models.UniqueConstraint(
                fields=["jurisdiction", "date"],
                condition=Q(jurisdiction__isnull=False),
                name="calendar_day_local_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name} ({_('working day') if self.is_working_day else _('day off')})"


class CalendarYear(CalendarRow):
    """A year whose holidays and make-up workdays an admin has entered completely (标记为录入完整).

    Without a jurisdiction the mark is national (a platform administrator's) and counts for every
    jurisdiction; a jurisdiction's own mark counts for that jurisdiction only.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), null=True, blank=True, on_delete=models.CASCADE
    )
    year = models.PositiveIntegerField(_("year"))
    notes = models.CharField(
        _("notes"), max_length=300, blank=True, help_text=_("e.g. 国办发明电〔2026〕X号")
    )
    published_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("published calendar year")
        verbose_name_plural = _("published calendar years")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(jurisdiction__isnull=True),
                name="calendar_year_national_unique",
                violation_error_message=_("This year is marked complete nationally already."),
            ),
            models.UniqueConstraint(
                fields=["jurisdiction", "year"],
                condition=Q(jurisdiction__isnull=False),
                name="calendar_year_local_unique",
                violation_error_message=_("This jurisdiction has marked this year complete already."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)
