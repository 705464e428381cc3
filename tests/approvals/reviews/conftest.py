"""A declared project of the staged tenant: the pre-review (cloud centre) and the optional expert review."""

from __future__ import annotations

import pytest

from jurisdictions.models import Role
from projects.services import transition_project
from tests.conftest import make_project


def declared_project(tenant, **overrides):
    project = make_project(tenant, **overrides)
    return transition_project(
        actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare", comment=""
    )


@pytest.fixture
def declared(staged):
    return declared_project(staged)
