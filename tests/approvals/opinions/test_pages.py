"""The opinions pages: the section on the project page in Chinese, the reviewer's and the giver's
forms, a delegate named 「受托人（代委托人）」, earlier rounds kept, and 「待我答复的会签」."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approvals.delegation.models import Delegation
from approvals.opinions import services
from approvals.opinions.models import OpinionRequest
from jurisdictions.models import Role
from security.selectors import person_name
from tests.approvals.opinions.conftest import in_review, requested


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def section(html: str) -> str:
    match = re.search(r'<section class="card opinions" id="opinions">(.*?)</section>', html, re.S)
    assert match, "no opinions section"
    return match.group(1)


def visible_text(html: str) -> str:
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text)


def detail(client, project) -> str:
    response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def request_id(project, code):
    return OpinionRequest.objects.filter(project=project, code=code).order_by("-round").first().pk


def test_the_reviewer_requests_in_chinese_with_a_confirmation(staged, project):
    reviewer = browser(staged.users[Role.REVIEWER])
    page = section(detail(reviewer, project))
    assert "部门会签意见" in page and "全部同意" in page and "第十一条" in page
    assert "尚未征求部门会签意见" in page and "密码应用意见（保密局）" in page
    assert "发起会签" in page
    assert not re.search(r"[A-Za-z]{3,}", visible_text(page)), visible_text(page)  # no English words

    url = reverse("projects:opinion-request", args=[project.pk])
    unconfirmed = reviewer.post(url, {})
    assert unconfirmed.status_code == 400 and "请勾选以确认" in unconfirmed.content.decode()
    assert not OpinionRequest.objects.exists()
    done = reviewer.post(url, {"confirm": "on"})
    assert done.status_code == 302 and done["Location"].endswith("#opinions")
    page = section(detail(reviewer, project))
    assert page.count("待答复") == 2 and "加签" in page and "前置要件齐全" in page and "尚未齐全" in page


def test_staff_and_the_wrong_body_are_refused_with_the_reason(staged, project):
    staff = browser(staged.users[Role.DEPARTMENT_STAFF])
    page = section(detail(staff, project))
    assert "发起会签" not in page
    response = staff.post(reverse("projects:opinion-request", args=[project.pk]), {"confirm": "on"})
    assert response.status_code == 403 and "只有审核人员可以征求部门会签意见" in response.content.decode()
    services.request_opinions(actor=staged.users[Role.REVIEWER], project_id=project.pk)
    police = browser(staged.users["police_reviewer"])
    url = reverse("projects:opinion-answer", args=[project.pk, request_id(project, "crypto")])
    assert "warning" in police.get(url).content.decode()
    refused = police.post(url, {"answer": "agree"})
    assert refused.status_code == 403 and "此意见只能由保密局出具" in refused.content.decode()


def test_another_tenant_gets_404(staged, staged_other):
    project = requested(staged)
    outsider = browser(staged_other.users["secrecy_reviewer"])
    for url in (
        reverse("projects:opinion-request", args=[project.pk]),
        reverse("projects:opinion-answer", args=[project.pk, request_id(project, "crypto")]),
    ):
        assert outsider.get(url).status_code == 404
        assert outsider.post(url, {"answer": "agree", "confirm": "on"}).status_code == 404


def test_givers_answer_and_the_page_shows_who_when_and_the_date(staged):
    project = requested(staged)
    secrecy = browser(staged.users["secrecy_reviewer"])
    page = section(detail(secrecy, project))
    assert page.count(">答复<") == 1  # only the request of their body
    url = reverse("projects:opinion-answer", args=[project.pk, request_id(project, "crypto")])
    missing = secrecy.post(url, {"answer": "agree_with_conditions", "comment": ""})
    assert missing.status_code == 400 and "请写明理由或所附条件" in missing.content.decode()
    assert secrecy.post(url, {"answer": "agree_with_conditions", "comment": "须通过密评"}).status_code == 302
    police = browser(staged.users["police_reviewer"])
    police_url = reverse(
        "projects:opinion-answer", args=[project.pk, request_id(project, "protection_level")]
    )
    assert police.post(police_url, {"answer": "agree"}).status_code == 302

    page = section(detail(browser(staged.users[Role.REVIEWER]), project))
    assert "有条件同意" in page and "须通过密评" in page and ">同意<" in page
    assert person_name(staged.users["secrecy_reviewer"]) in page
    assert timezone.localdate().strftime("%Y-%m-%d") in page.split("前置要件齐全")[1][:200]


def test_a_delegates_answer_reads_delegate_for_delegator(staged):
    project = requested(staged)
    delegate = staged.users[Role.SECURITY_REVIEWER]
    today = timezone.localdate()
    Delegation.objects.create(
        jurisdiction=staged.jurisdiction,
        delegator=staged.users["secrecy_reviewer"],
        delegate=delegate,
        starts_on=today,
        ends_on=today + dt.timedelta(days=1),
        created_by=staged.users[Role.JURISDICTION_ADMIN],
    )
    client = browser(delegate)
    mine = client.get(reverse("projects:opinion-mine")).content.decode()
    assert "密码应用意见（保密局）" in mine and f"代{person_name(staged.users['secrecy_reviewer'])}" in mine
    url = reverse("projects:opinion-answer", args=[project.pk, request_id(project, "crypto")])
    assert client.post(url, {"answer": "agree"}).status_code == 302
    label = f"{person_name(delegate)}（代{person_name(staged.users['secrecy_reviewer'])}）"
    assert label in section(detail(client, project))


def test_a_new_round_keeps_the_first_rounds_answers_folded(staged):
    project = requested(staged)
    services.answer_opinion(
        actor=staged.users["police_reviewer"],
        project_id=project.pk,
        request_id=request_id(project, "protection_level"),
        answer="disagree",
        comment="未完成定级备案",
    )
    reviewer = browser(staged.users[Role.REVIEWER])
    url = reverse("projects:opinion-rerequest", args=[project.pk])
    assert reviewer.post(url, {"reason": "", "confirm": "on"}).status_code == 400
    assert reviewer.post(url, {"reason": "已完成备案", "confirm": "on"}).status_code == 302
    page = section(detail(reviewer, project))
    assert "第2轮" in page and "<details" in page and "第1轮（此前）" in page
    earlier = page.split("<details")[1]
    assert "不同意" in earlier and "未完成定级备案" in earlier and "已关闭" in earlier


def test_the_reviewer_adds_a_signer(staged):
    project = requested(staged)
    reviewer = browser(staged.users[Role.REVIEWER])
    url = reverse("projects:opinion-add", args=[project.pk])
    form = reviewer.get(url).content.decode()
    assert "云计算中心" in form and "加签理由" in form
    body = {"department": staged.bodies["cloud_centre"].pk, "role": "reviewer", "reason": ""}
    assert reviewer.post(url, body).status_code == 400
    assert reviewer.post(url, {**body, "reason": "涉及云资源"}).status_code == 302
    page = section(detail(reviewer, project))
    assert "云计算中心" in page and "涉及云资源" in page


def test_my_requests_page_says_why_it_is_empty(staged):
    in_review(staged)
    nobody = (
        browser(staged.users[Role.DEPARTMENT_STAFF]).get(reverse("projects:opinion-mine")).content.decode()
    )
    assert "您不出具部门会签意见" in nobody
    idle = browser(staged.users["police_reviewer"]).get(reverse("projects:opinion-mine")).content.decode()
    assert "目前没有待您答复的会签请求" in idle


def test_the_answer_file_is_downloaded_only_through_the_project(staged, staged_other):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = requested(staged)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    rid = request_id(project, "crypto")
    secrecy = browser(staged.users["secrecy_reviewer"])
    posted = secrecy.post(
        reverse("projects:opinion-answer", args=[project.pk, rid]),
        {"answer": "agree", "comment": "", "file": SimpleUploadedFile("意见.pdf", pdf)},
    )
    assert posted.status_code == 302
    url = reverse("projects:opinion-file", args=[project.pk, rid])
    assert url in detail(secrecy, project)
    got = browser(staged.users[Role.REVIEWER]).get(url)
    assert got.status_code == 200 and b"".join(got.streaming_content) == pdf
    assert browser(staged_other.users[Role.REVIEWER]).get(url).status_code == 404
