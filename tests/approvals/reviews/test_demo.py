"""The demo takes the packs' review steps as their takers before each step (approvals.reviews.demo)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from approvals.reviews.models import ReviewStep, ThirdPartyReview
from projects.models import Project


@pytest.mark.django_db
def test_the_demo_passes_each_review_step_as_its_taker():
    call_command("load_rulepacks", stdout=io.StringIO())
    errors = io.StringIO()
    call_command("seed_demo", stdout=io.StringIO(), stderr=errors)
    assert errors.getvalue() == ""
    library = Project.objects.get(title="红山区民政救助信息系统")
    assert library.phase == "in_library"
    pre = ReviewStep.objects.get(project=library, code="pre_review")
    assert pre.status == "passed" and pre.decided_by.username == "hongshan_mengdong_cloud"
    assert not ReviewStep.objects.filter(
        project=library, code="expert_review"
    ).exists()  # optional: not organised
    planned = Project.objects.get(title="莱州市应急指挥调度平台")
    steps = dict(ReviewStep.objects.filter(project=planned).values_list("code", "decided_by__username"))
    assert steps["joint_review"] == "laizhou_reviewer" and steps["finance_review"] == "laizhou_finance"
    assert ThirdPartyReview.objects.filter(project=planned, step__code="cost_evaluation").exists()
    assert ReviewStep.objects.filter(
        project__title="南充市城市运行管理服务平台", code="joint_review", status="passed"
    ).exists()
