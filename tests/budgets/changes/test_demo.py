"""The demo's change: a 包头 project in construction has filed a change within 第二十一条's 15%, with its
filing record on file, waiting for the reviewer's 已知悉."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from budgets.changes.demo import DEMO_CHANGES
from budgets.changes.inbox import changes
from budgets.changes.models import ChangeRequest, ChangeStatus
from projects.models import Project
from projects.selectors import project_verdicts


@pytest.mark.django_db
def test_the_demo_files_a_change_and_the_filing_rule_passes():
    call_command("load_rulepacks", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    for title in DEMO_CHANGES:
        project = Project.objects.get(title=title)
        request = ChangeRequest.objects.get(project=project)
        assert request.status == ChangeStatus.FILED and request.article == "第二十一条"
        assert project.baselines.filter(source_change=request).exists()
        _pack, verdicts = project_verdicts(project)
        filing = next(v for v in verdicts if v.rule_id == "baotou.change.filing")
        assert filing.outcome.value == "pass"
        reviewer = get_user_model().objects.get(username="baotou_reviewer")
        assert [int(i.key) for i in changes.pending(reviewer)] == [request.pk]
