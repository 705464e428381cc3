"""The pages: login, the project list (filters, search, pagination, HTMX partial) and the detail page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jurisdictions.models import Role
from projects import services
from tests.conftest import make_project


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_login_page_is_chinese_first(db):
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "登录" in response.content.decode()


def test_login_and_logout(alpha):
    client = Client()
    response = client.post(reverse("login"), {"username": "alpha_reviewer", "password": "pw-for-tests"})
    assert response.status_code == 302 and response.url == reverse("home")  # each person's home page
    assert client.get(reverse("projects:list")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("projects:list")).status_code == 302


def test_wrong_password_says_so(alpha):
    response = Client().post(reverse("login"), {"username": "alpha_reviewer", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_pages_need_login(alpha):
    project = make_project(alpha)
    for url in (reverse("projects:list"), reverse("projects:detail", args=[project.pk])):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_list_shows_only_visible_projects(alpha, beta):
    mine = make_project(alpha, title="本部门项目")
    other = make_project(
        alpha, title="他部门项目", actor=alpha.other_staff, department=alpha.other_department
    )
    foreign = make_project(beta, title="外地项目")
    page = login(alpha.users[Role.DEPARTMENT_STAFF]).get(reverse("projects:list")).content.decode()
    assert mine.code in page and other.code not in page and foreign.code not in page
    page = login(alpha.users[Role.REVIEWER]).get(reverse("projects:list")).content.decode()
    assert mine.code in page and other.code in page and foreign.code not in page


def test_list_filters_and_search(alpha):
    draft = make_project(alpha, title="数据共享平台", year=2025)
    declared = make_project(alpha, title="视频监控系统", year=2026)
    services.transition_project(
        actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=declared.pk, name="declare"
    )
    client = login(alpha.users[Role.REVIEWER])

    def codes(**params):
        return {p.code for p in client.get(reverse("projects:list"), params).context["page_obj"]}

    assert codes(phase="declared") == {declared.code}
    assert codes(year="2025") == {draft.code}
    assert codes(q="共享") == {draft.code}
    assert codes(q=declared.code) == {declared.code}
    assert codes(department=str(alpha.department.pk)) == {draft.code, declared.code}
    assert codes(department=str(alpha.other_department.pk)) == set()


def test_list_paginates(alpha):
    for i in range(23):
        make_project(alpha, title=f"项目{i:02d}")
    client = login(alpha.users[Role.REVIEWER])
    first = client.get(reverse("projects:list"))
    second = client.get(reverse("projects:list"), {"page": 2})
    assert len(first.context["page_obj"]) == 20 and len(second.context["page_obj"]) == 3
    assert {p.pk for p in first.context["page_obj"]}.isdisjoint({p.pk for p in second.context["page_obj"]})


def test_htmx_request_gets_only_the_table(alpha):
    make_project(alpha)
    response = login(alpha.users[Role.REVIEWER]).get(reverse("projects:list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<table" in body and "<html" not in body


def test_detail_shows_phase_timeline_and_verdicts_with_citations(alpha):
    project = make_project(alpha, facts={"documents": ["proposal"]}, total_investment_wan="250")
    response = login(alpha.users[Role.REVIEWER]).get(reverse("projects:detail", args=[project.pk]))
    body = response.content.decode()
    assert project.title in body and project.get_phase_display() in body
    assert "测政发〔2025〕1号 第八条" in body  # the citation of the failing documents rule
    assert "可行性研究报告" in body  # the missing document it names
    assert "alpha.construction.supervision" in body
    assert [entry["event"].action for entry in response.context["timeline"]] == ["create"]


@pytest.mark.parametrize("who", ["beta_reviewer", "other_staff"])
def test_detail_of_an_invisible_project_is_404(alpha, beta, who):
    project = make_project(alpha)
    user = beta.users[Role.REVIEWER] if who == "beta_reviewer" else alpha.other_staff
    assert login(user).get(reverse("projects:detail", args=[project.pk])).status_code == 404
    assert (
        login(user)
        .post(reverse("projects:transition", args=[project.pk]), {"transition": "declare"})
        .status_code
        == 404
    )


def test_transition_from_the_page(alpha):
    project = make_project(alpha)
    client = login(alpha.users[Role.DEPARTMENT_STAFF])
    offered = client.get(reverse("projects:detail", args=[project.pk])).context["transitions"]
    assert [name for name, _label in offered] == ["declare"]
    response = client.post(
        reverse("projects:transition", args=[project.pk]), {"transition": "declare"}, follow=True
    )
    assert response.context["object"].phase == "declared"


def test_refused_transition_explains_with_the_article(alpha):
    project = make_project(alpha, facts={"documents": []})
    client = login(alpha.users[Role.DEPARTMENT_STAFF])
    response = client.post(
        reverse("projects:transition", args=[project.pk]), {"transition": "declare"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("项目建议书" in m and "第八条" in m for m in messages)
    assert response.context["object"].phase == "draft"


def test_english_switch(alpha):
    client = login(alpha.users[Role.REVIEWER])
    zh = client.get(reverse("projects:list")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("projects:list")})
    en = client.get(reverse("projects:list")).content.decode()
    assert '<html lang="en">' in en and "Projects" in en
    assert "项目" in zh and zh != en


def test_detail_speaks_the_users_language(alpha):
    project = make_project(alpha, facts={"documents": ["proposal"]})
    client = login(alpha.users[Role.REVIEWER])
    zh = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "应用系统类" in zh and "不符合" in zh  # category name from the pack, outcome label
    assert 'lang="en">English</button>' in zh  # the switch names the language in itself
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    en = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Application" in en and "Not met" in en and "Missing declaration documents" in en
    assert 'lang="zh-hans">简体中文</button>' in en


def test_swagger_ui_is_served_without_a_cdn(alpha):
    body = login(alpha.users[Role.REVIEWER]).get("/api/docs/").content.decode()
    assert "swagger-ui" in body and "cdn.jsdelivr" not in body and "/static/drf_spectacular_sidecar/" in body


def test_openapi_schema_lists_the_evaluate_endpoint(alpha):
    response = login(alpha.users[Role.REVIEWER]).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/v1/jurisdictions/{code}/evaluate" in response.content.decode()
