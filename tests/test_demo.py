"""`make run`'s demo: every demo project reaches the phase its steps lead to, through the real rules."""

from __future__ import annotations

import pytest
import yaml
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from jurisdictions.models import Membership, Role
from projects.management.commands.seed_demo import DEMO_FILE, PASSWORD
from projects.models import TRANSITION_ROLES, Project
from tests.projects.test_lifecycle import GRAPH

DEMO = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["jurisdictions"]


@pytest.mark.django_db
def test_seed_demo_reaches_every_phase_and_is_idempotent(capsys):
    call_command("load_rulepacks")
    call_command("seed_demo")
    out, err = capsys.readouterr()
    assert err == "", err  # a demo project stopped short: its facts no longer satisfy the pack
    for code, spec in DEMO.items():
        for row in spec["projects"]:
            project = Project.objects.get(jurisdiction__code=code, title=row["title"])
            expected = GRAPH[row["steps"][-1]][1] if row["steps"] else "draft"
            assert project.phase == expected, (code, row["title"])
            moves = project.events.filter(action__in=TRANSITION_ROLES).values_list("action", flat=True)
            assert list(moves) == row["steps"], (code, row["title"])
            # documents and screening are records, not typed facts (ARCHITECTURE.md "Facts come from records")
            assert "documents" not in project.facts and "negative_list_answers" not in project.facts
            assert project.screening_answers.exists()
            if "approve" in row["steps"]:  # every pack asks for documents before approval
                assert project.documents.filter(superseded_at=None, rejected_at=None).exists()
            if "plan" in row["steps"]:
                assert project.plan_entry.plan.status == "published"
    phases = set(Project.objects.values_list("phase", flat=True))
    assert {"draft", "returned", "in_library", "in_construction", "in_operation"} <= phases
    counts = (Project.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (Project.objects.count(), Membership.objects.count()) == counts
    for code in DEMO:
        for role in Role.values:
            assert Membership.objects.filter(jurisdiction__code=code, role=role).exists()
    # django-axes needs the request to count failures by address.
    assert authenticate(RequestFactory().post("/"), username="baotou_staff", password=PASSWORD) is not None
    assert "baotou_reviewer" in out and PASSWORD in out
