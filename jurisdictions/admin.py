"""Admin for platform and jurisdiction administrators.

A superuser sees everything. A jurisdiction admin (staff, with the model permissions
seed_demo grants) sees and edits only the rows of the jurisdictions they administer;
national calendar rows are theirs to read, not to change.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from govproj.admin import ReadOnlyAdmin
from govproj.errors import ApplicationError
from jurisdictions import services
from jurisdictions.models import (
    CalendarDay,
    CalendarYear,
    Department,
    Jurisdiction,
    Membership,
    Role,
    RulePack,
    memberships_of,
)
from jurisdictions.rules.schema import dump_pack_text
from security.admin_audit import AuditedModelAdmin


def administered(request):
    return Jurisdiction.objects.for_user(request.user, "change")


def administered_ids(request) -> list[int]:
    return sorted(
        {m.jurisdiction_id for m in memberships_of(request.user) if m.role == Role.JURISDICTION_ADMIN}
    )


def people_of(request):
    """The accounts a jurisdiction admin may pick: members of the jurisdictions they administer."""
    users = get_user_model().objects.all()
    if request.user.is_superuser:
        return users
    return users.filter(memberships__jurisdiction__in=administered(request)).distinct()


class TenantAdmin(AuditedModelAdmin):
    """Rows of the admin's own jurisdictions only; every write logged (security.admin_audit)."""

    tenant_filter = "jurisdiction__in"

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        # The ids themselves, not a subquery: the query (and any total remembered for it) then
        # changes when the admin's jurisdictions do.
        return rows.filter(**{self.tenant_filter: administered_ids(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.related_model is Jurisdiction:
                kwargs["queryset"] = administered(request)
            elif db_field.related_model is Department:
                kwargs["queryset"] = Department.objects.filter(jurisdiction__in=administered(request))
            elif db_field.related_model is get_user_model():
                # Their own people only; new accounts are made on the people page (user + role together).
                kwargs["queryset"] = people_of(request).exclude(pk=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Jurisdiction)
class JurisdictionAdmin(TenantAdmin):
    tenant_filter = "pk__in"
    list_display = ["code", "name_zh", "name_en", "level", "parent", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["code", "level", "parent", "project_code_prefix"]


@admin.register(Department)
class DepartmentAdmin(TenantAdmin):
    list_display = ["code", "name_zh", "name_en", "jurisdiction"]
    list_filter = ["jurisdiction"]
    search_fields = ["code", "name_zh", "name_en"]


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "jurisdiction", "role", "department"]

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            services.membership_check(actor=self.request.user, membership=self.instance)
        except ApplicationError as error:
            fields = error.extra.get("errors") or {}
            for name, problems in fields.items():
                self.add_error(name if name in self.fields else None, problems)
            if not fields:
                self.add_error(None, error.message)


@admin.register(Membership)
class MembershipAdmin(TenantAdmin):
    """Grants, changes and revocations go through jurisdictions.services, which log old → new."""

    form = MembershipForm
    list_display = ["user", "jurisdiction", "role", "department"]
    list_filter = ["jurisdiction", "role"]
    search_fields = ["user__username"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request = request
        return form

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        # Nobody edits their own roles, not even to look at the form for them.
        return rows if request.user.is_superuser else rows.exclude(user=request.user)

    def save_model(self, request, obj, form, change):
        services.membership_save(actor=request.user, membership=obj, request=request)

    def delete_model(self, request, obj):
        services.membership_revoke(actor=request.user, membership_id=obj.pk, request=request)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            self.delete_model(request, membership)


@admin.register(RulePack)
class RulePackAdmin(ReadOnlyAdmin, TenantAdmin):
    """Versions are immutable: admins read them here; a changed pack is loaded as a new version."""

    list_display = [
        "jurisdiction",
        "version",
        "measure_title",
        "effective_from",
        "effective_to",
        "created_at",
    ]
    list_filter = ["jurisdiction"]
    # The content reads as the YAML the editor exports, not as one line of JSON; the rules are
    # browsed and edited on the rule-pack pages (/rules/), which this links to.
    readonly_fields = [f.name for f in RulePack._meta.fields if f.name != "content"] + [
        "pages",
        "content_yaml",
    ]
    exclude = ["content"]

    @admin.display(description=_("pages"))
    def pages(self, pack):
        return format_html(
            '<a href="{}?version={}">{}</a>',
            reverse("rules:pack", args=[pack.jurisdiction.code]),
            pack.version,
            _("Browse and edit the rules"),
        )

    @admin.display(description=_("content"))
    def content_yaml(self, pack):
        return format_html("<pre>{}</pre>", dump_pack_text(pack.content))


@admin.register(CalendarDay)
class CalendarDayAdmin(TenantAdmin):
    """Holidays and make-up workdays for years chinesecalendar does not know, national or local."""

    list_display = ["date", "name", "is_working_day", "jurisdiction"]
    list_filter = ["is_working_day", "jurisdiction"]
    date_hierarchy = "date"

    def get_queryset(self, request):
        rows = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return rows
        return rows.filter(Q(jurisdiction__isnull=True) | Q(jurisdiction__in=administered(request)))

    def has_change_permission(self, request, obj=None):
        national = obj is not None and obj.jurisdiction_id is None
        return super().has_change_permission(request, obj) and (request.user.is_superuser or not national)

    def has_delete_permission(self, request, obj=None):
        national = obj is not None and obj.jurisdiction_id is None
        return super().has_delete_permission(request, obj) and (request.user.is_superuser or not national)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "jurisdiction" and not request.user.is_superuser:
            field.required = True  # national rows are the platform's
        return field


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarDayAdmin):
    """A year marked entered completely: national marks (superusers', for every jurisdiction) and a
    jurisdiction's own, kept apart as calendar days are; the marks are usually set on the calendar page."""

    list_display = ["year", "jurisdiction", "notes", "published_at"]
    list_filter = ["jurisdiction"]
    date_hierarchy = None
