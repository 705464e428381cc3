"""The evaluate and rule-pack endpoints: what-if answers, and a clear 4xx (never a 500) for bad input."""

from __future__ import annotations

import pytest

from jurisdictions.models import Role
from tests.conftest import client_for


@pytest.fixture
def client(alpha):
    return client_for(alpha.users[Role.REVIEWER])


def evaluate(client, body, code="alpha", **kwargs):
    return client.post(f"/api/v1/jurisdictions/{code}/evaluate", body, format="json", **kwargs)


def test_evaluate_returns_verdicts_with_citations(client):
    response = evaluate(
        client, {"facts": {"total_investment_wan": 250, "documents": ["proposal"]}, "as_of": "2026-03-02"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["rule_pack"]["version"] == 1 and body["as_of"] == "2026-03-02"
    verdicts = {v["rule_id"]: v for v in body["verdicts"]}
    documents = verdicts["alpha.intake.declaration_documents"]
    assert documents["outcome"] == "fail"
    assert documents["citation"]["article"] == "第八条"
    assert documents["data"]["missing"] == [
        {"code": "fsr", "name_zh": "可行性研究报告", "name_en": "Feasibility study report"}
    ]
    assert "可行性研究报告" in documents["message"]["zh"]
    assert verdicts["alpha.construction.supervision"]["outcome"] == "required"
    assert body["blocked_transitions"]["declare"] == ["alpha.intake.declaration_documents"]


def test_evaluate_working_day_deadline_uses_the_statutory_calendar(client):
    # Trial run starts Friday 2026-09-25; ten working days skip the 10-01..10-07 National Day holiday
    # and count the make-up workdays (Sun 09-28 and Sat 10-10 in the 2026 schedule).
    body = {
        "facts": {"trial_run_start": "2026-09-25"},
        "rule_ids": ["alpha.acceptance.apply_deadline"],
        "as_of": "2026-09-25",
    }
    verdict = evaluate(client, body).json()["verdicts"][0]
    import datetime as dt

    import chinese_calendar

    day, left = dt.date(2026, 9, 25), 10
    while left:
        day += dt.timedelta(days=1)
        left -= chinese_calendar.is_workday(day)
    assert verdict["data"]["due_date"] == day.isoformat()
    assert day > dt.date(2026, 10, 7)


def test_evaluate_for_a_given_version_and_phase(client):
    response = evaluate(client, {"facts": {}, "version": 1, "phases": ["construction"]})
    assert [v["rule_id"] for v in response.json()["verdicts"]] == ["alpha.construction.supervision"]
    assert response.json()["verdicts"][0]["outcome"] == "unknown"


@pytest.mark.parametrize(
    ("body", "status", "names"),
    [
        ({"facts": {"budget": 1}}, 400, "budget"),
        ({"facts": {"total_investment_wan": "abc"}}, 400, "total_investment_wan"),
        ({"facts": {"total_investment_wan": True}}, 400, "total_investment_wan"),
        ({"facts": {"documents": "proposal"}}, 400, "documents"),
        ({"facts": {"trial_run_start": "2026-02-30"}}, 400, "trial_run_start"),
        ({"facts": "not an object"}, 400, "facts"),
        ({}, 400, "facts"),
        ({"facts": {}, "as_of": "tomorrow"}, 400, "as_of"),
        ({"facts": {}, "version": "latest"}, 400, "version"),
        ({"facts": {}, "version": 99}, 404, "99"),
        ({"facts": {}, "phases": ["nirvana"]}, 400, "nirvana"),
        ({"facts": {}, "rule_ids": ["alpha.nope"]}, 400, "alpha.nope"),
        ({"facts": {}, "fact": {}}, 400, "fact"),
        (["facts"], 400, "invalid"),
    ],
)
def test_evaluate_bad_input_names_the_problem(client, body, status, names):
    response = evaluate(client, body)
    assert response.status_code == status, response.content
    assert names in response.content.decode()


def test_evaluate_malformed_json(client):
    response = client.post("/api/v1/jurisdictions/alpha/evaluate", "{facts:", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_evaluate_unknown_jurisdiction_names_it(client):
    response = evaluate(client, {"facts": {}}, code="atlantis")
    assert response.status_code == 404
    assert response.json()["jurisdiction"] == "atlantis"
    assert "atlantis" in response.json()["detail"]


def test_every_fact_problem_is_reported_at_once(client):
    errors = evaluate(client, {"facts": {"a": 1, "total_investment_wan": "x"}}).json()["errors"]["facts"]
    assert {e["fact"] for e in errors} == {"a", "total_investment_wan"}
    assert {e.get("expected") for e in errors} == {None, "decimal"}


def test_rulepack_in_force_and_by_version(client):
    body = client.get("/api/v1/jurisdictions/alpha/rulepack").json()
    assert body["version"] == 1 and body["content"]["jurisdiction"]["code"] == "alpha"
    assert body["status"]["state"] == "in_force"
    assert (
        client.get("/api/v1/jurisdictions/alpha/rulepack?version=1").json()["content_hash"]
        == body["content_hash"]
    )
    assert client.get("/api/v1/jurisdictions/alpha/rulepack?version=2").status_code == 404
    assert client.get("/api/v1/jurisdictions/alpha/rulepack?version=x").status_code == 400


def test_working_days_endpoint_flags_unknown_years(client):
    body = client.get("/api/v1/jurisdictions/alpha/working-days/?start=2026-12-31&days=1").json()
    assert body == {"date": "2027-01-01", "certain": False, "unknown_years": [2027]}
    assert client.get("/api/v1/jurisdictions/alpha/working-days/?start=x&days=1").status_code == 400


def test_english_messages_on_request(client):
    response = evaluate(client, {"facts": {"zzz": 1}}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "Some facts are not valid."
