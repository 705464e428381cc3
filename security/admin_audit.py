"""Admin screens that write every add, change and delete to the security log, field by field."""

from __future__ import annotations

from django.contrib import admin
from django.db import models, transaction

from security.models import Kind
from security.services import security_event_record


def snapshot(obj: models.Model) -> dict[str, str]:
    """Each concrete field as people read it; foreign keys by name and id."""
    values = {}
    for field in obj._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            continue  # "updated at" changes with every save and says nothing
        if field.is_relation:
            related_id = getattr(obj, field.attname)
            values[field.name] = f"{getattr(obj, field.name)} (#{related_id})" if related_id else ""
        else:
            values[field.name] = field.value_to_string(obj)
    return values


def jurisdiction_of(obj: models.Model):
    from jurisdictions.models import Jurisdiction

    if isinstance(obj, Jurisdiction):
        return obj.pk
    return getattr(obj, "jurisdiction_id", None)


def record_admin_edit(request, obj, kind: Kind, changes: dict) -> None:
    security_event_record(
        kind=kind,
        request=request,
        jurisdiction=jurisdiction_of(obj),
        target=f"{obj._meta.label_lower}:{obj.pk} {obj}"[:200],
        data={"model": obj._meta.label_lower, "changes": changes},
    )


class AuditedModelAdmin(admin.ModelAdmin):
    """Every write made here is logged with before → after; the write and its record commit together."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else {}
            super().save_model(request, obj, form, change)
            after = snapshot(obj)
            changes = {
                name: {"from": before.get(name), "to": value}
                for name, value in after.items()
                if before.get(name) != value
            }
            if changes:
                record_admin_edit(request, obj, Kind.ADMIN_CHANGED if change else Kind.ADMIN_ADDED, changes)

    def delete_model(self, request, obj):
        with transaction.atomic():
            before = snapshot(obj)
            pk = obj.pk
            super().delete_model(request, obj)
            obj.pk = pk
            record_admin_edit(
                request, obj, Kind.ADMIN_DELETED, {k: {"from": v, "to": None} for k, v in before.items()}
            )

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)
