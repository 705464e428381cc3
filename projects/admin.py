from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from govproj.admin import ReadOnlyAdmin
from projects.models import AuditEvent, Project


@admin.register(Project)
class ProjectAdmin(GuardedModelAdmin):
    """Read here; phases move only through the services (the API and the pages), which audit them."""

    list_display = ["code", "title", "jurisdiction", "department", "phase", "total_investment_wan", "year"]
    list_filter = ["jurisdiction", "phase", "year"]
    search_fields = ["code", "title"]
    readonly_fields = ["code", "phase", "rule_pack", "created_by"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "project", "action", "from_phase", "to_phase", "actor", "rule_pack"]
    list_filter = ["jurisdiction", "action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
