"""Projects in the admin: read, and words corrected by administrators; everything else through the services.

Money, tenancy, category and facts are read-only here: they change only through the services
(the pages and the API), which check the rules and write the audit trail. Rows are scoped to
the admin's jurisdictions like the other tenant screens.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from govproj.admin import ReadOnlyAdmin
from jurisdictions.admin import TenantAdmin
from projects import services
from projects.models import AuditEvent, Project
from projects.selectors import RememberedCountPaginator, project_years
from security.admin_audit import record_admin_edit
from security.models import Kind


class YearFilter(admin.SimpleListFilter):
    """Plan years of the admin's projects, read once until a project changes (not on every page)."""

    title = _("plan year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(year, year) for year in project_years(model_admin.get_queryset(request))]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not (value.isascii() and value.isdecimal()) or int(value) > 9999:
            return queryset.none()
        return queryset.filter(year=int(value))


@admin.register(Project)
class ProjectAdmin(TenantAdmin):
    list_display = ["code", "title", "jurisdiction", "department", "phase", "total_investment_wan", "year"]
    list_filter = ["jurisdiction", "phase", YearFilter]
    list_select_related = ["jurisdiction", "department"]
    search_fields = ["code", "title"]
    paginator = RememberedCountPaginator
    show_full_result_count = False  # one count per page, not two
    fields = [
        "code",
        "title",
        "description",
        "jurisdiction",
        "department",
        "category",
        "total_investment_wan",
        "funding_source",
        "year",
        "phase",
        "facts",
        "rule_pack",
        "created_by",
    ]
    readonly_fields = [name for name in fields if name not in services.ADMIN_EDITABLE_FIELDS]

    def get_queryset(self, request):
        projects = super().get_queryset(request)
        match = request.resolver_match
        if match is not None and match.url_name == "projects_project_changelist":
            projects = projects.defer("description", "facts")  # the list shows neither
        return projects

    def has_add_permission(self, request):
        return False  # projects are filed by their department's staff, through the services

    def has_delete_permission(self, request, obj=None):
        return False  # a project is terminated or decommissioned, never deleted

    def save_model(self, request, obj, form, change):
        before = {name: form.initial.get(name) for name in form.changed_data}
        services.project_admin_edit(
            actor=request.user,
            project_id=obj.pk,
            changes={name: form.cleaned_data[name] for name in form.changed_data},
        )
        if form.changed_data:
            changes = {n: {"from": before[n], "to": form.cleaned_data[n]} for n in form.changed_data}
            record_admin_edit(request, obj, Kind.ADMIN_CHANGED, changes)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin, TenantAdmin):
    list_display = ["at", "project", "action", "from_phase", "to_phase", "actor", "rule_pack"]
    list_filter = ["jurisdiction", "action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
