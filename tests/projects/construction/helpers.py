"""The API walk's setup for the construction endpoints (tests/projects/test_permissions.py)."""

from __future__ import annotations

from projects.models import Project


def construction_for_walk(tenant, project) -> None:
    """Put the walk's project in construction, so the allowed role's call succeeds."""
    pack = tenant.jurisdiction.rule_packs.first()
    Project.objects.filter(pk=project.pk).update(phase="in_construction", rule_pack=pack)
