from django.contrib import admin

from govproj.admin import ReadOnlyAdmin
from jurisdictions.models import CalendarDay, CalendarYear, Department, Jurisdiction, Membership, RulePack


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "level", "parent", "is_active"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "jurisdiction"]
    list_filter = ["jurisdiction"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "jurisdiction", "role", "department"]
    list_filter = ["jurisdiction", "role"]
    search_fields = ["user__username"]
    autocomplete_fields = ["user", "department"]


@admin.register(RulePack)
class RulePackAdmin(ReadOnlyAdmin):
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
    readonly_fields = [f.name for f in RulePack._meta.fields]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "is_working_day", "jurisdiction"]
    list_filter = ["is_working_day", "jurisdiction"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "notes", "published_at"]
