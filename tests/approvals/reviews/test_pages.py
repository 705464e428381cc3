"""The 「评审」 section and the review pages: Chinese, the taker's forms, the expert's tasks."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from approvals.reviews import services
from approvals.reviews.models import ExpertAssignment, ReviewStep
from jurisdictions.models import Role
from tests.approvals.reviews.conftest import declared_project

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ENGLISH_STATUS = re.compile(r"\b(open|passed|failed|Under review|Passed|Not passed|agree|disagree|Agree)\b")


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def section(response) -> str:
    html = response.content.decode()
    start = html.index('id="reviews"')
    return html[start : html.index("</section>", start)]


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_the_section_lists_the_steps_in_chinese_with_the_takers_forms(staged, declared):
    page = browser(staged.users["cloud_reviewer"]).get(reverse("projects:detail", args=[declared.pk]))
    html = section(page)
    text = visible_text(html)
    assert "技术前置审核" in text and "云计算中心" in text and "待评审" in text
    assert "专家或第三方评审" in text and "未组织" in text
    assert not ENGLISH_STATUS.search(text), ENGLISH_STATUS.search(text)
    assert reverse("projects:review-pass", args=[declared.pk, "pre_review"]) in html
    # the department's staff sees the steps, and no form
    staff_html = section(
        browser(staged.users[Role.DEPARTMENT_STAFF]).get(reverse("projects:detail", args=[declared.pk]))
    )
    assert "技术前置审核" in staff_html and "<form" not in staff_html


def test_failing_on_the_page_needs_a_reason_and_the_tick(staged, declared):
    client = browser(staged.users["cloud_reviewer"])
    url = reverse("projects:review-fail", args=[declared.pk, "pre_review"])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"comment": "", "confirm": "on"})
    assert refused.status_code == 400 and "理由" in refused.content.decode()
    assert client.post(url, {"comment": "不足"}).status_code == 400  # no tick
    assert not ReviewStep.objects.exists()
    done = client.post(url, {"comment": "云资源测算不足", "confirm": "on"})
    assert done.status_code == 302
    row = ReviewStep.objects.get()
    assert row.status == "failed" and row.comment == "云资源测算不足"
    html = section(client.get(reverse("projects:detail", args=[declared.pk])))
    assert "未通过" in html and "云资源测算不足" in html and "第1轮" in html and "重新评审" in html
    timeline = client.get(reverse("projects:detail", args=[declared.pk])).content.decode()
    assert "评审环节未通过" in timeline and "技术前置审核，第1轮" in timeline
    # a second fail is a wrong state: 409 on the page
    assert client.post(url, {"comment": "再次", "confirm": "on"}).status_code == 409


def test_a_reviewer_organises_assigns_and_the_expert_answers_in_the_browser(staged, declared):
    reviewer, expert = staged.users[Role.REVIEWER], staged.users[Role.EXPERT]
    client = browser(reviewer)
    assert (
        client.post(reverse("projects:review-organise", args=[declared.pk, "expert_review"])).status_code
        == 302
    )
    conflicted = client.post(
        reverse("projects:review-assign", args=[declared.pk, "expert_review"]),
        {"expert": staged.users["own_expert"].pk},
    )
    assert conflicted.status_code == 400  # not even offered: not a valid choice
    assigned = client.post(
        reverse("projects:review-assign", args=[declared.pk, "expert_review"]), {"expert": expert.pk}
    )
    assert assigned.status_code == 302
    assignment = ExpertAssignment.objects.get()

    expert_client = browser(expert)
    mine = expert_client.get(reverse("projects:review-mine")).content.decode()
    assert (
        declared.title in mine
        and reverse("projects:review-opinion", args=[declared.pk, assignment.pk]) in mine
    )
    listed = expert_client.get(reverse("projects:list")).content.decode()
    assert declared.title in listed
    opinion_url = reverse("projects:review-opinion", args=[declared.pk, assignment.pk])
    page = expert_client.get(opinion_url).content.decode()
    assert "本人与该项目无利害关系" in page
    refused = expert_client.post(opinion_url, {"opinion": "agree", "comment": ""})
    assert refused.status_code == 400
    done = expert_client.post(
        opinion_url,
        {
            "no_conflict": "on",
            "opinion": "agree_with_conditions",
            "comment": "需补充等保方案",
            "file": SimpleUploadedFile("意见.pdf", PDF),
        },
    )
    assert done.status_code == 302
    assignment.refresh_from_db()
    assert assignment.opinion == "agree_with_conditions" and assignment.file_name == "意见.pdf"
    # another expert may not open it
    assert browser(staged.users["expert_2"]).get(opinion_url).status_code == 404

    html = section(client.get(reverse("projects:detail", args=[declared.pk])))
    assert "有条件同意 1 人" in html and "需补充等保方案" in html and expert.get_full_name() in html
    file_url = reverse("projects:review-file", args=[declared.pk, "opinion", assignment.pk])
    assert file_url in html
    download = client.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert browser(staged.users[Role.EXPERT]).get(file_url).status_code == 200  # the expert sees the project
    passed = client.post(
        reverse("projects:review-pass", args=[declared.pk, "expert_review"]), {"comment": "", "confirm": "on"}
    )
    assert passed.status_code == 302


def test_an_expert_without_assignments_is_told_why_their_lists_are_empty(staged, declared):
    client = browser(staged.users["expert_2"])
    message = "您目前没有被指派评审的项目。数据局指派后，项目会出现在这里。"
    assert message in client.get(reverse("projects:review-mine")).content.decode()
    listed = client.get(reverse("projects:list")).content.decode()
    assert message in listed and declared.title not in listed
    # a reviewer's empty list is not told that
    reviewer = browser(staged.users["reviewer_2"])
    assert message not in reviewer.get(reverse("projects:list") + "?q=不存在的项目").content.decode()


def test_another_tenant_gets_404_on_every_review_page_and_file(staged, staged_other, declared):
    services.decide_step(
        actor=staged.users["cloud_reviewer"],
        project_id=declared.pk,
        code="pre_review",
        outcome="fail",
        comment="不足",
        file=SimpleUploadedFile("意见.pdf", PDF),
    )
    row = ReviewStep.objects.get()
    outsider = browser(staged_other.users[Role.REVIEWER])
    urls = [
        reverse(f"projects:review-{a}", args=[declared.pk, "pre_review"])
        for a in ("pass", "fail", "reopen", "organise")
    ]
    urls.append(reverse("projects:review-file", args=[declared.pk, "step", row.pk]))
    for url in urls:
        assert outsider.get(url).status_code == 404, url
    assert browser(staged.users["cloud_reviewer"]).get(urls[-1]).status_code == 200
    # a project of the same tenant where no file is kept: 404, never a 500
    other = declared_project(staged, title="其他")
    assert (
        browser(staged.users[Role.REVIEWER])
        .get(reverse("projects:review-file", args=[other.pk, "step", row.pk]))
        .status_code
        == 404
    )


WALK_ANSWERS = {200, 302, 400, 403, 404, 405, 409}


@pytest.fixture
def walk_world(staged, staged_other):
    reviewer = staged.users[Role.REVIEWER]
    project = declared_project(staged, title="走查项目")
    services.decide_step(
        actor=staged.users["cloud_reviewer"],
        project_id=project.pk,
        code="pre_review",
        outcome="fail",
        comment="不足",
        file=SimpleUploadedFile("意见.pdf", PDF),
    )
    services.organise_step(actor=reviewer, project_id=project.pk, code="expert_review")
    assignment = services.assign_expert(
        actor=reviewer, project_id=project.pk, code="expert_review", expert_id=staged.users[Role.EXPERT].pk
    )
    step_row = ReviewStep.objects.get(project=project, code="pre_review")
    return project, assignment, step_row


def walk_urls(project, assignment, step_row) -> list[str]:
    urls = [reverse("projects:review-mine")]
    for code in ("pre_review", "expert_review"):
        urls += [
            reverse(f"projects:review-{a}", args=[project.pk, code])
            for a in ("organise", "pass", "fail", "reopen", "assign", "third-party")
        ]
    urls += [
        reverse(f"projects:review-{a}", args=[project.pk, assignment.pk]) for a in ("withdraw", "opinion")
    ]
    urls.append(reverse("projects:review-file", args=[project.pk, "step", step_row.pk]))
    return urls


@pytest.mark.parametrize("role", [*Role.values, "cloud_reviewer", "expert_2", "own_expert"])
def test_every_review_page_answers_every_role_and_never_fails(staged, staged_other, walk_world, role):
    project, assignment, step_row = walk_world
    client = browser(staged.users[role])
    outsider = browser(staged_other.users[role])
    for url in walk_urls(project, assignment, step_row):
        for method in ("get", "post"):
            answer = getattr(client, method)(url)
            assert answer.status_code in WALK_ANSWERS, (url, method, answer.status_code)
            if role == Role.DEPARTMENT_STAFF and method == "post":
                assert answer.status_code in (400, 403, 404, 405), (url, answer.status_code)
            if "mine" not in url:
                assert getattr(outsider, method)(url).status_code in (404, 405), (url, method)
    project.refresh_from_db()
    assert project.phase == "declared"
