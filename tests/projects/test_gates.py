"""Phase records hold a transition until they are done (projects.gates); the refusal says what and where."""

from __future__ import annotations

import pytest

from govproj.errors import RuleViolation
from jurisdictions.models import Role
from projects import gates, services
from projects.gates import Gate
from tests.conftest import make_project

OWED = Gate(
    kind="test",
    code="pre_review",
    title={"zh": "技术前置审核", "en": "Technical pre-review"},
    message={"zh": "须先通过技术前置审核", "en": "The technical pre-review must pass first"},
    citation={"article": "第九条"},
)


@pytest.fixture
def holding():
    """A provider that holds `enter_library` (as the review steps' provider does)."""
    held = {"enter_library"}

    def provider(project, transition, spec, stage):
        return [OWED] if transition in held else []

    gates._PROVIDERS.append(provider)
    yield held
    gates._PROVIDERS.remove(provider)


def test_a_transition_is_refused_while_a_record_owes_something(alpha, holding):
    project = make_project(alpha)
    services.transition_project(
        actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )
    with pytest.raises(RuleViolation) as refused:
        services.transition_project(
            actor=alpha.users[Role.REVIEWER], project_id=project.pk, name="enter_library"
        )
    assert str(refused.value.message) == "须先通过技术前置审核（第九条）"
    assert refused.value.extra["owed"][0]["code"] == "pre_review"
    project.refresh_from_db()
    assert project.phase == "declared"
    holding.clear()  # the record is done
    services.transition_project(actor=alpha.users[Role.REVIEWER], project_id=project.pk, name="enter_library")
    project.refresh_from_db()
    assert project.phase == "in_library"


def test_the_project_page_says_what_is_owed_under_the_step_it_holds(alpha, holding, client):
    project = make_project(alpha)
    services.transition_project(
        actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )
    client.force_login(alpha.users[Role.REVIEWER])
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "须先通过技术前置审核" in page and "第九条" in page


def test_a_project_without_a_pinned_spec_owes_nothing(alpha, holding):
    assert gates.open_gates(make_project(alpha), "enter_library", None) == []
