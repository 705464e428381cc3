"""Projects in the admin: read, and words corrected by administrators; everything else through the services.

Money, tenancy, category and facts are read-only here: they change only through the services
(the pages and the API), which check the rules and write the audit trail. Rows are scoped to
the admin's jurisdictions like the other tenant screens.
"""

from django.contrib import admin

from govproj.admin import ReadOnlyAdmin
from jurisdictions.admin import TenantAdmin
from projects import services
from projects.models import AuditEvent, Project
from security.admin_audit import record_admin_edit
from security.models import Kind


@admin.register(Project)
class ProjectAdmin(TenantAdmin):
    list_display = ["code", "title", "jurisdiction", "department", "phase", "total_investment_wan", "year"]
    list_filter = ["jurisdiction", "phase", "year"]
    search_fields = ["code", "title"]
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
