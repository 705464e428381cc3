"""The screening API: answers listed with their articles, explanation required, review, refusals."""

from __future__ import annotations

from jurisdictions.models import Role
from projects.models import AuditEvent
from projects.screening.models import ScreeningAnswer
from projects.services import transition_project
from tests.conftest import client_for, make_project


def url(project, suffix=""):
    return f"/api/v1/projects/{project.pk}/screening/{suffix}"


def test_staff_answer_and_everyone_on_the_project_reads_the_items(alpha):
    project = make_project(alpha)
    staff = client_for(alpha.users[Role.DEPARTMENT_STAFF])

    before = staff.get(url(project)).json()
    assert [(line["code"], line["clause"], line["answered"]) for line in before] == [
        ("duplicate", "（一）", False)
    ]
    assert before[0]["text"] == "重复建设" and before[0]["citation"].endswith("第九条")

    put = staff.put(
        url(project),
        {"answers": {"duplicate": {"applies": True, "explanation": "与某平台重复"}}},
        format="json",
    )

    assert put.status_code == 200, put.content
    [line] = put.json()
    assert (line["answered"], line["applies"], line["hit"], line["explanation"]) == (
        True,
        True,
        True,
        "与某平台重复",
    )
    assert line["answered_by"]["username"] == alpha.users[Role.DEPARTMENT_STAFF].username
    assert client_for(alpha.users[Role.REVIEWER]).get(url(project)).json()[0]["hit"] is True


def test_an_item_that_applies_without_explanation_is_400_naming_it(alpha):
    project = make_project(alpha)
    response = client_for(alpha.users[Role.DEPARTMENT_STAFF]).put(
        url(project), {"answers": {"duplicate": {"applies": True}}}, format="json"
    )
    assert response.status_code == 400
    assert "duplicate" in response.json()["errors"]
    assert not ScreeningAnswer.objects.exists()


def test_wrong_role_is_403_and_another_tenant_404(alpha, beta):
    project = make_project(alpha)
    body = {"answers": {"duplicate": {"applies": False}}}
    assert client_for(alpha.users[Role.REVIEWER]).put(url(project), body, format="json").status_code == 403
    assert client_for(alpha.other_staff).put(url(project), body, format="json").status_code == 404
    assert (
        client_for(beta.users[Role.DEPARTMENT_STAFF]).put(url(project), body, format="json").status_code
        == 404
    )
    assert client_for(beta.users[Role.REVIEWER]).get(url(project)).status_code == 404


def test_reviewer_overrules_with_a_comment_and_the_verdict_follows(alpha):
    project = make_project(alpha)
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    client_for(staff).put(url(project), {"answers": {"duplicate": {"applies": False}}}, format="json")
    transition_project(actor=staff, project_id=project.pk, name="declare")
    reviewer = client_for(alpha.users[Role.REVIEWER])

    no_comment = reviewer.post(
        url(project, "review/"), {"decisions": {"duplicate": {"decision": "overrule"}}}, format="json"
    )
    assert no_comment.status_code == 400 and "duplicate" in no_comment.json()["errors"]
    response = reviewer.post(
        url(project, "review/"),
        {"decisions": {"duplicate": {"decision": "overrule", "comment": "与市级平台重复"}}},
        format="json",
    )

    assert response.status_code == 200, response.content
    [line] = response.json()
    assert (line["applies"], line["reviewed_applies"], line["hit"]) == (False, True, True)
    assert line["review_comment"] == "与市级平台重复"
    assert AuditEvent.objects.filter(project=project, action="screening_review").count() == 1
    verdicts = reviewer.get(f"/api/v1/projects/{project.pk}/verdicts/").json()
    negative = [v for v in verdicts["verdicts"] if v["rule_id"] == "alpha.intake.negative_list"]
    assert negative[0]["outcome"] == "fail"
