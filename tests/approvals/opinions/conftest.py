"""Projects of the staged tenant in review, ready for department opinions, and a mode-any variant."""

from __future__ import annotations

import pytest

from approvals.opinions import services
from jurisdictions.models import Role
from jurisdictions.rules.schema import load_pack_text
from jurisdictions.services import publish_rule_pack
from projects.models import Phase, Project
from tests.approvals.conftest import STAGED
from tests.conftest import make_project


def in_review(tenant, **overrides) -> Project:
    """A project of `tenant` put in review (the steps before are other modules' business)."""
    project = make_project(tenant, **overrides)
    Project.objects.filter(pk=project.pk).update(phase=Phase.IN_REVIEW)
    project.refresh_from_db()
    return project


def requested(tenant, **overrides) -> Project:
    project = in_review(tenant, **overrides)
    services.request_opinions(actor=tenant.users[Role.REVIEWER], project_id=project.pk)
    return project


def publish_any_mode(tenant) -> None:
    """A new version of the tenant's pack whose opinions are 或签 (mode any)."""
    code = tenant.jurisdiction.code
    text = STAGED.read_text(encoding="utf-8").replace("__CODE__", code)
    text = text.replace("    mode: all\n", "    mode: any\n", 1)
    assert "mode: any" in text
    spec, content = load_pack_text(text, source=f"staged-{code}-any")
    publish_rule_pack(spec, content, source=f"staged-{code}-any")


@pytest.fixture
def project(staged) -> Project:
    return in_review(staged)
