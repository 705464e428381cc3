"""A fact stored before validation existed never makes a page, the verdicts or a transition fail."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from jurisdictions.models import Role
from projects.models import Project
from tests.conftest import client_for, make_project


@pytest.fixture
def broken(alpha):
    """A draft whose trial-run start was written as 9999-12-31 behind validation's back (raw update)."""
    project = make_project(alpha)
    Project.objects.filter(pk=project.pk).update(
        facts={**project.facts, "trial_run_start": "9999-12-31", "retired_fact": 1}
    )
    return project


@pytest.mark.django_db
def test_the_verdicts_name_the_invalid_stored_fact_and_leave_it_out(alpha, broken):
    client = client_for(alpha.users[Role.REVIEWER])
    response = client.get(f"/api/v1/projects/{broken.pk}/verdicts/")
    assert response.status_code == 200
    invalid = {fact["fact"]: fact for fact in response.json()["invalid_facts"]}
    assert set(invalid) == {"trial_run_start", "retired_fact"}
    assert invalid["trial_run_start"]["label"] == {"zh": "试运行开始日期", "en": "trial run (试运行) started"}
    assert invalid["trial_run_start"]["value"] == "9999-12-31"
    assert "1900-01-01" in invalid["trial_run_start"]["problem"]
    assert invalid["retired_fact"]["problem"] == "unknown fact"
    verdicts = {v["rule_id"]: v for v in response.json()["verdicts"]}
    assert verdicts["alpha.acceptance.apply_deadline"]["outcome"] == "unknown"


@pytest.mark.django_db
def test_the_project_page_says_which_fact_is_invalid_in_chinese(alpha, broken):
    web = Client()
    web.force_login(alpha.users[Role.DEPARTMENT_STAFF])
    response = web.get(f"/projects/{broken.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "试运行开始日期" in html and "9999-12-31" in html
    assert "无效" in html


@pytest.mark.django_db
def test_transitions_still_run_on_a_project_with_an_invalid_stored_fact(alpha, broken):
    staff = client_for(alpha.users[Role.DEPARTMENT_STAFF])
    assert staff.get(f"/api/v1/projects/{broken.pk}/transitions/").status_code == 200
    response = staff.post(
        f"/api/v1/projects/{broken.pk}/transitions/", {"transition": "declare"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["phase"] == "declared"


@pytest.mark.django_db
def test_removing_the_invalid_fact_with_a_merge_patch_repairs_the_project(alpha, broken):
    staff = client_for(alpha.users[Role.DEPARTMENT_STAFF])
    response = staff.patch(
        f"/api/v1/projects/{broken.pk}/",
        {"facts": {"trial_run_start": None, "retired_fact": None}},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert "trial_run_start" not in response.json()["facts"]
    assert staff.get(f"/api/v1/projects/{broken.pk}/verdicts/").json()["invalid_facts"] == []


@pytest.mark.django_db
def test_the_invalid_facts_command_lists_them(alpha, broken):
    out = StringIO()
    call_command("invalid_facts", stdout=out)
    lines = out.getvalue().splitlines()
    assert f'alpha\t{broken.code}\ttrial_run_start\t"9999-12-31"\t' in "\n".join(lines)
    assert any("retired_fact" in line for line in lines)
    assert lines[-1] == "2 invalid recorded fact(s)."
    with pytest.raises(CommandError, match="2 invalid"):
        call_command("invalid_facts", "--check", stdout=StringIO())
    clean = StringIO()
    call_command("invalid_facts", "--check", "--jurisdiction", "beta", stdout=clean)
    assert clean.getvalue().strip() == "0 invalid recorded fact(s)."
