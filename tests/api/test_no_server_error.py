"""Issue 6 §4: input that used to give a 500 gets a 4xx that names the parameter or fact."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from jurisdictions.models import Role
from tests.conftest import client_for, make_project

PROJECT_ROUTES = [
    ("get", "/api/v1/projects/{id}/"),
    ("patch", "/api/v1/projects/{id}/"),
    ("get", "/api/v1/projects/{id}/events/"),
    ("get", "/api/v1/projects/{id}/transitions/"),
    ("post", "/api/v1/projects/{id}/transitions/"),
    ("get", "/api/v1/projects/{id}/verdicts/"),
]
BAD_IDS = ["abc", "99999999999999999999", "-1", "0", "²", "%EF%BC%91"]  # the last: fullwidth 1


@pytest.fixture
def staff(alpha):
    client = client_for(alpha.users[Role.DEPARTMENT_STAFF])
    client.raise_request_exception = False
    return client


@pytest.fixture
def web(alpha):
    client = Client(raise_request_exception=False)
    client.force_login(alpha.users[Role.DEPARTMENT_STAFF])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "route"), PROJECT_ROUTES)
@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_a_project_id_that_is_not_a_whole_number_is_a_400_naming_id(staff, method, route, bad_id):
    body = {"transition": "declare"} if method == "post" else {"title": "x"}
    response = getattr(staff, method)(route.format(id=bad_id), body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["id"]


@pytest.mark.django_db
def test_a_page_url_with_a_huge_project_id_is_not_found(alpha, web):
    assert web.get("/projects/99999999999999999999/").status_code == 404
    assert web.post("/projects/99999999999999999999/transition/", {"transition": "declare"}).status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/jurisdictions/alpha/rulepack?version=²", "version"),
        ("/api/v1/jurisdictions/alpha/rulepack?version=99999999999999999999", "version"),
        ("/api/v1/projects/?department=²", "department"),
        ("/api/v1/projects/?department=99999999999999999999", "department"),
        ("/api/v1/projects/?year=²", "year"),
        ("/api/v1/projects/?year=1e30", "year"),
        ("/api/v1/projects/?year=2026.5", "year"),
        ("/api/v1/jurisdictions/alpha/working-days/?start=2026-01-01&days=²", "days"),
        ("/api/v1/jurisdictions/alpha/working-days/?start=9999-12-31&days=10", "start"),
        ("/api/v1/jurisdictions/alpha/working-days/?start=0001-01-01&days=-10", "start"),
        ("/api/v1/projects/?q=a%00b", "q"),
        ("/api/v1/jurisdictions/?anything=%00", "anything"),
    ],
)
def test_bad_query_parameters_are_a_400_naming_the_parameter(staff, url, parameter):
    response = staff.get(url)
    assert response.status_code == 400, response.content
    assert parameter in response.json()["errors"]


@pytest.mark.django_db
def test_another_jurisdictions_department_is_not_a_valid_filter(alpha, beta, staff):
    response = staff.get(f"/api/v1/projects/?department={beta.department.pk}")
    assert response.status_code == 400
    assert staff.get(f"/api/v1/projects/?department={alpha.department.pk}").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("department=²", "部门"),
        ("year=²", "年"),
        ("year=1e30", "年"),
        ("q=a%00b", "q"),
        ("phase=nope", "阶段"),
    ],
)
def test_the_project_list_page_refuses_bad_filters_with_a_400_naming_them(alpha, web, query, name):
    make_project(alpha)
    response = web.get(f"/projects/?{query}")
    assert response.status_code == 400
    assert name in response.content.decode()


@pytest.mark.django_db
def test_the_project_list_page_still_filters(alpha, web):
    project = make_project(alpha)
    response = web.get(f"/projects/?department={alpha.department.pk}&year=2026&phase=draft&q=政务")
    assert response.status_code == 200 and project.code in response.content.decode()
    assert project.code not in web.get("/projects/?year=2027").content.decode()
    everything = web.get("/projects/?q=&phase=&department=&year=")  # the form's empty selects
    assert everything.status_code == 200 and project.code in everything.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_in_a_form_field_is_a_400(alpha, web):
    project = make_project(alpha)
    response = web.post(f"/projects/{project.pk}/transition/", {"transition": "declare", "comment": "a\x00"})
    assert response.status_code == 400
    assert "comment" in response.content.decode()
    login = Client(raise_request_exception=False).post(
        "/accounts/login/", {"username": "a\x00", "password": "x"}
    )
    assert login.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"facts": {"approval_date": "9999-12-31"}}, "approval_date"),
        ({"facts": {"approval_date": "1899-12-31"}}, "approval_date"),
        ({"facts": {"total_investment_wan": "1e999999"}}, "total_investment_wan"),
        ({"facts": {"total_investment_wan": "-1E+13"}}, "total_investment_wan"),
        ({"facts": {"total_investment_wan": "0.000000001"}}, "total_investment_wan"),
        ({"facts": {"total_investment_wan": "NaN"}}, "total_investment_wan"),
        ({"facts": {"category": "a" * 1001}}, "category"),
    ],
)
def test_facts_out_of_range_are_a_400_naming_the_fact(staff, alpha, body, where):
    response = staff.post("/api/v1/jurisdictions/alpha/evaluate", body, format="json")
    assert response.status_code == 400, response.content
    assert [p["fact"] for p in response.json()["errors"]["facts"]] == [where]
    project = make_project(alpha)
    patched = staff.patch(f"/api/v1/projects/{project.pk}/", body, format="json")
    assert patched.status_code == 400 and patched.json()["errors"]["facts"][0]["fact"] == where


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01"])
def test_evaluate_as_of_out_of_range_is_a_400_naming_it(staff, as_of):
    response = staff.post(
        "/api/v1/jurisdictions/alpha/evaluate", {"facts": {}, "as_of": as_of}, format="json"
    )
    assert response.status_code == 400 and "as_of" in response.json()["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ('{"facts": {"category": "a\\u0000b"}}', "facts.category"),
        ('{"facts": {"category": "\\ud800"}}', "facts.category"),
        ('{"facts": {"documents": ["ok", "\\udfff"]}}', "facts.documents[1]"),
        ('{"facts": {"\\ud800": true}}', "facts.\\ud800"),
        ('{"facts": {"total_investment_wan": 1e999}}', "facts.total_investment_wan"),
    ],
)
def test_nul_and_lone_surrogates_in_json_are_a_400_naming_where(staff, alpha, raw, where):
    response = staff.post("/api/v1/jurisdictions/alpha/evaluate", raw, content_type="application/json")
    assert response.status_code == 400, response.content
    assert where in response.json()["errors"]
    project = make_project(alpha)
    patched = staff.patch(f"/api/v1/projects/{project.pk}/", raw, content_type="application/json")
    assert patched.status_code == 400


DEEP = "[" * 1000 + "]" * 1000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/jurisdictions/alpha/evaluate"),
        ("post", "/api/v1/projects/"),
        ("patch", "/api/v1/projects/{id}/"),
        ("post", "/api/v1/projects/{id}/transitions/"),
    ],
)
@pytest.mark.parametrize("body", [DEEP, '{"facts": ' + '{"a": ' * 1000 + "1" + "}" * 1001])
def test_json_nested_a_thousand_levels_is_a_400(staff, alpha, method, url, body):
    project = make_project(alpha)
    response = getattr(staff, method)(url.format(id=project.pk), body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "parse_error"


@pytest.mark.django_db
def test_json_nested_a_thousand_levels_is_a_400_on_the_unauthenticated_token_endpoint():
    client = APIClient(raise_request_exception=False)
    response = client.post("/api/v1/auth/token/", DEEP, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.django_db
def test_moderately_nested_json_is_still_accepted(staff):
    facts = {"negative_list_answers": {"duplicate": False}}
    response = staff.post("/api/v1/jurisdictions/alpha/evaluate", {"facts": facts}, format="json")
    assert response.status_code == 200


@pytest.mark.django_db
def test_too_many_form_fields_is_a_json_400_on_the_api(staff):
    body = "&".join(f"f{i}=1" for i in range(1001))
    response = staff.post(
        "/api/v1/jurisdictions/alpha/evaluate", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400 and response["Content-Type"] == "application/json"


@pytest.mark.parametrize("body", [b"\x00", b"{", b'{"transition": "declare\\u0000"}'])
def test_a_bad_body_for_a_project_one_may_not_see_is_a_404_not_a_500(alpha, body):
    """Refused before the body is read (404), the refusal is logged without choking on the body."""
    project = make_project(alpha)
    client = client_for(alpha.other_staff)
    response = client.post(
        f"/api/v1/projects/{project.pk}/transitions/", data=body, content_type="application/json"
    )
    assert response.status_code == 404
