from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are written only by services and never edited: rule-pack versions, audit events."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
