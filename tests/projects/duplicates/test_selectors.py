"""similar_projects: same jurisdiction, the year window, scores in [0, 1] best first, few queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govproj.errors import NotPermitted
from jurisdictions.models import Role
from projects.duplicates import selectors
from projects.duplicates.selectors import similar_projects
from tests.conftest import make_project

TITLE = "智慧城市数据共享交换平台建设"


def test_finds_a_near_duplicate_title_of_another_department_and_not_another_tenant(alpha, beta):
    project = make_project(alpha, title=TITLE)
    near = make_project(
        alpha,
        title="智慧城市数据共享交换平台二期建设",
        actor=alpha.other_staff,
        department=alpha.other_department,
    )
    unrelated = make_project(alpha, title="森林防火视频监控系统")
    make_project(beta, title=TITLE)  # another tenant's identical title

    similar = similar_projects(user=alpha.users[Role.REVIEWER], project=project)

    found = [item.project for item in similar]
    assert found[0] == near
    assert unrelated not in found
    assert all(item.project.jurisdiction_id == alpha.jurisdiction.pk for item in similar)
    assert project not in found


def test_scores_are_between_zero_and_one_and_ordered(alpha):
    project = make_project(
        alpha, title=TITLE, description="建设全市统一的数据共享交换平台，汇聚各部门政务数据。"
    )
    make_project(alpha, title=TITLE, description="建设全市统一的数据共享交换平台，汇聚各部门政务数据。")
    make_project(alpha, title="智慧城市数据共享平台", description="汇聚政务数据。")
    make_project(alpha, title="城市数据交换平台运维", description="")

    similar = similar_projects(user=alpha.users[Role.REVIEWER], project=project)

    scores = [item.score for item in similar]
    assert len(scores) >= 2
    assert all(0 <= s <= 1 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == pytest.approx(1, abs=0.01)  # the same title and description


def test_respects_the_year_window(alpha):
    project = make_project(alpha, title=TITLE, year=2026)
    within = make_project(alpha, title=TITLE, year=2023)
    too_old = make_project(alpha, title=TITLE, year=2022)
    later = make_project(alpha, title=TITLE, year=2027)

    found = {item.project for item in similar_projects(user=alpha.users[Role.REVIEWER], project=project)}

    assert within in found
    assert too_old not in found and later not in found
    assert too_old in {
        item.project for item in similar_projects(user=alpha.users[Role.REVIEWER], project=project, years=4)
    }


def test_a_title_not_saved_yet_can_be_checked(alpha):
    existing = make_project(alpha, title=TITLE)
    similar = similar_projects(
        user=alpha.users[Role.DEPARTMENT_STAFF], jurisdiction=alpha.jurisdiction, year=2026, title=TITLE
    )
    assert [item.project for item in similar] == [existing]


@pytest.mark.parametrize("role", [Role.FINANCE_OFFICER, Role.AUDITOR, Role.JURISDICTION_ADMIN])
def test_other_roles_may_not_see_the_list(alpha, role):
    project = make_project(alpha, title=TITLE)
    with pytest.raises(NotPermitted):
        similar_projects(user=alpha.users[role], project=project)


@pytest.mark.parametrize("portable", [True, False], ids=["portable", "database"])
def test_no_query_per_candidate(alpha, monkeypatch, portable):
    if portable:
        monkeypatch.setattr(selectors, "trigram_handles_cjk", lambda: False)
    elif connection.vendor != "postgresql":
        pytest.skip("the trigram path needs PostgreSQL")
    project = make_project(alpha, title=TITLE)
    reviewer = alpha.users[Role.REVIEWER]
    make_project(alpha, title=TITLE + "一期")
    similar_projects(user=reviewer, project=project)  # warm: memberships and the ctype probe cached
    with CaptureQueriesContext(connection) as few:
        assert len(similar_projects(user=reviewer, project=project)) == 1
    for n in range(8):
        make_project(alpha, title=f"{TITLE}{n}期", actor=alpha.other_staff, department=alpha.other_department)
    with CaptureQueriesContext(connection) as many:
        assert len(similar_projects(user=reviewer, project=project)) == 9
    assert len(many) == len(few) <= 3


def test_postgresql_scores_chinese_by_trigrams(alpha):
    """On a C.UTF-8 (or any non-C) ctype pg_trgm makes trigrams of Chinese characters."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW lc_ctype")
        ctype = cursor.fetchone()[0]
    assert selectors.trigram_handles_cjk() == (ctype not in ("C", "POSIX"))
