"""Intake review: withdrawing a declaration, the reason a return or rejection needs, the reviewer's
queue (待审核申报) and the decision pages, on 红山区's real measure (and the small test pack)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Jurisdiction, Role
from jurisdictions.packfiles import shipped_pack
from jurisdictions.services import publish_rule_pack
from projects import services
from projects.intake.selectors import queue_projects, queue_rows
from projects.intake.views import intake_section
from projects.models import AuditEvent, Phase, Project
from projects.screening.models import ScreeningAnswer
from projects.selectors import project_verdicts
from tests.conftest import client_for, make_project
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory

# Declared facts a 红山 upgrade needs to be declared (nothing cross-department, not a new build).
HONGSHAN_FACTS = {"is_upgrade": True, "is_new_build": False, "is_cross_department": False}


class Hongshan:
    def __init__(self):
        spec, content = shipped_pack("hongshan")
        self.pack = publish_rule_pack(spec, content, source="hongshan.yaml").pack
        self.jurisdiction = Jurisdiction.objects.get(code="hongshan")
        self.department = DepartmentFactory(jurisdiction=self.jurisdiction, name_zh="红山区数据局")
        self.other_department = DepartmentFactory(jurisdiction=self.jurisdiction, name_zh="红山区民政局")
        self.staff = self._member("hs_staff", Role.DEPARTMENT_STAFF, self.department, "王芳")
        self.other_staff = self._member("hs_other", Role.DEPARTMENT_STAFF, self.other_department, "赵强")
        self.reviewer = self._member("hs_reviewer", Role.REVIEWER, None, "李娜")

    def _member(self, username, role, department, name):
        user = UserFactory(username=username, first_name=name, last_name="")
        MembershipFactory(user=user, jurisdiction=self.jurisdiction, role=role, department=department)
        return user

    def declared(self, *, staff=None, facts=None, **overrides) -> Project:
        staff = staff or self.staff
        values = {
            "actor": staff,
            "department": self.department if staff == self.staff else self.other_department,
            "title": "红山区政务服务平台升级",
            "category": "construction",
            "total_investment_wan": Decimal("1234.50"),
            "funding_source": "fiscal",
            "year": 2027,
            "facts": dict(HONGSHAN_FACTS),
        }
        values.update(overrides)
        project = services.create_project(**values)
        if facts:  # facts the form does not take (dates the rules read), set as records would
            Project.objects.filter(pk=project.pk).update(facts={**project.facts, **facts})
        return services.transition_project(actor=staff, project_id=project.pk, name="declare")


@pytest.fixture
def hongshan(db) -> Hongshan:
    return Hongshan()


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    """What a person reads: the page without tags, whitespace squeezed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def alpha_project(alpha, **overrides) -> Project:
    """A draft of the test pack with its documents and screening on record (as records would set them)."""
    project = make_project(alpha, facts={}, **overrides)
    recorded = {"documents": ["proposal", "fsr"], "negative_list_answers": {"duplicate": False}}
    Project.objects.filter(pk=project.pk).update(facts=recorded)
    return Project.objects.get(pk=project.pk)


def declared_alpha(alpha, **overrides) -> Project:
    project = alpha_project(alpha, **overrides)
    return services.transition_project(
        actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )


# ----------------------------------------------------------------------------- withdraw


def test_staff_withdraw_a_declaration_back_to_a_draft_and_the_pack_is_unpinned(alpha):
    project = declared_alpha(alpha)
    pinned = project.rule_pack
    assert pinned is not None
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    withdrawn = services.transition_project(
        actor=staff, project_id=project.pk, name="withdraw", comment="材料需更新"
    )
    assert withdrawn.phase == Phase.DRAFT
    assert Project.objects.get(pk=project.pk).rule_pack is None  # the next declaration pins anew
    event = AuditEvent.objects.get(project=project, action="withdraw")
    assert (event.from_phase, event.to_phase, event.actor) == ("declared", "draft", staff)
    assert event.rule_pack == pinned and event.comment == "材料需更新"
    # A draft again: editable, and declaring again pins the version in force.
    services.update_project(actor=staff, project_id=project.pk, changes={"title": "撤回后改名"})
    again = services.transition_project(actor=staff, project_id=project.pk, name="declare")
    assert again.phase == Phase.DECLARED and again.rule_pack == pinned


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.DEPARTMENT_STAFF])
def test_only_the_departments_staff_withdraw(alpha, role):
    project = declared_alpha(alpha)
    with pytest.raises((NotPermitted, NotFound)):
        services.transition_project(actor=alpha.users[role], project_id=project.pk, name="withdraw")
    with pytest.raises(NotFound):  # another department's staff do not see it at all
        services.transition_project(actor=alpha.other_staff, project_id=project.pk, name="withdraw")
    assert Project.objects.get(pk=project.pk).phase == Phase.DECLARED


def test_withdraw_only_while_declared(alpha):
    staff, reviewer = alpha.users[Role.DEPARTMENT_STAFF], alpha.users[Role.REVIEWER]
    draft = alpha_project(alpha)
    with pytest.raises(InvalidTransition):
        services.transition_project(actor=staff, project_id=draft.pk, name="withdraw")
    decided = declared_alpha(alpha, title="已入库项目")
    services.transition_project(actor=reviewer, project_id=decided.pk, name="enter_library")
    with pytest.raises(InvalidTransition) as raised:
        services.transition_project(actor=staff, project_id=decided.pk, name="withdraw")
    assert raised.value.http_status == 409
    assert not AuditEvent.objects.filter(action="withdraw").exists()


def test_withdrawing_is_not_a_decision_so_the_filer_may_do_it(alpha):
    """Separation of duties stops the filer deciding; withdrawing their own declaration is not deciding."""
    project = declared_alpha(alpha)
    moved = services.transition_project(
        actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="withdraw"
    )
    assert moved.phase == Phase.DRAFT


# ----------------------------------------------------------------------------- a reason is required


@pytest.mark.parametrize("name", ["return_for_revision", "reject"])
@pytest.mark.parametrize("comment", ["", "   \n\t "])
def test_return_and_reject_need_a_reason(alpha, name, comment):
    project = declared_alpha(alpha)
    with pytest.raises(ValidationFailed) as raised:
        services.transition_project(
            actor=alpha.users[Role.REVIEWER], project_id=project.pk, name=name, comment=comment
        )
    assert raised.value.http_status == 400
    assert raised.value.extra["errors"]["comment"] == ["必须填写原因。"]
    assert Project.objects.get(pk=project.pk).phase == Phase.DECLARED
    assert not AuditEvent.objects.filter(project=project, action=name).exists()


def test_the_reason_is_checked_after_role_and_phase(alpha):
    """Staff asking to reject hear that they may not, not that a reason is missing."""
    project = declared_alpha(alpha)
    with pytest.raises(NotPermitted):
        services.transition_project(
            actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="reject"
        )
    draft = alpha_project(alpha, title="草稿")
    with pytest.raises(InvalidTransition):
        services.transition_project(actor=alpha.users[Role.REVIEWER], project_id=draft.pk, name="reject")


def test_api_transition_without_a_reason_is_400_naming_comment(alpha):
    project = declared_alpha(alpha)
    client = client_for(alpha.users[Role.REVIEWER])
    url = f"/api/v1/projects/{project.pk}/transitions/"
    for body in ({"transition": "reject"}, {"transition": "return_for_revision", "comment": "  "}):
        response = client.post(url, body, format="json")
        assert response.status_code == 400, response.content
        assert response.json()["errors"]["comment"] == ["必须填写原因。"]
    response = client.post(url, {"transition": "reject", "comment": "不属于本级投资范围"}, format="json")
    assert response.status_code == 200 and response.json()["phase"] == "rejected"
    assert AuditEvent.objects.get(project=project, action="reject").comment == "不属于本级投资范围"


def test_openapi_says_the_comment_is_required_for_return_and_reject(alpha):
    schema = client_for(alpha.users[Role.REVIEWER]).get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/v1/projects/{id}/transitions/"]["post"]
    assert "`comment` is required" in post["description"]
    assert "return_for_revision" in post["description"] and "reject" in post["description"]
    queue = schema["paths"]["/api/v1/intake/queue/"]["get"]
    properties = str(queue["responses"]["200"])
    assert "Paginated" in properties or "count" in properties


# ----------------------------------------------------------------------------- the queue


def test_the_queue_lists_declared_projects_with_amount_department_hits_and_missing_documents(hongshan):
    older = hongshan.declared(title="红山区社会救助平台", staff=hongshan.other_staff)
    newer = hongshan.declared(title="红山区政务服务平台升级")
    services.create_project(  # a draft is not in the queue
        actor=hongshan.staff,
        department=hongshan.department,
        title="红山区草稿项目",
        category="construction",
        total_investment_wan=Decimal("10"),
        funding_source="fiscal",
        year=2027,
    )
    ScreeningAnswer.objects.create(
        project=newer,
        item_code="hs_shareable",
        applies=True,
        explanation="与市级平台重复",
        answered_by=hongshan.staff,
        answered_at=timezone.now(),
    )
    response = browser(hongshan.reviewer).get("/projects/intake/")
    assert response.status_code == 200
    page = text_of(response)
    assert "待审核申报" in page
    assert "红山区草稿项目" not in page
    assert page.index("红山区社会救助平台") < page.index("红山区政务服务平台升级")  # oldest first
    assert "1,234.50" in page
    assert "红山区数据局" in page and "红山区民政局" in page
    assert "（二）能通过其他系统共享共用的，不支持新建" in page  # the hit, as the measure words it
    assert "申请入库文件" in page and "可行性研究报告" in page  # 第八条: from 60万, missing both
    html = response.content.decode()
    assert f'href="/projects/{older.pk}/"' in html and f'href="/projects/{newer.pk}/"' in html
    assert re.search(r'class="num">1,234\.50</td>', html)  # right-aligned
    for code in ("library_application", "fsr", "hs_shareable", "hongshan.intake"):
        assert code not in page


def test_age_counts_from_the_latest_declaration(hongshan):
    project = hongshan.declared()
    reviewer = hongshan.reviewer
    today = timezone.localdate()
    [row] = queue_rows(list(queue_projects(user=reviewer)), as_of=today + dt.timedelta(days=3))
    assert row.age_days == 3
    services.transition_project(
        actor=reviewer, project_id=project.pk, name="return_for_revision", comment="补充说明"
    )
    services.transition_project(actor=hongshan.staff, project_id=project.pk, name="resubmit")
    resubmitted = AuditEvent.objects.get(project=project, action="resubmit").at
    [row] = queue_rows(list(queue_projects(user=reviewer)), as_of=today + dt.timedelta(days=3))
    assert row.declared_at == resubmitted and row.age_days == 3


def test_a_declaration_after_the_end_of_june_is_marked_late(hongshan):
    """红山 第七条: next year's projects by the end of June; a 2027 project declared on 2026-07-15 is late."""
    late = hongshan.declared(
        title="红山区七月申报项目",
        facts={"planned_year_start_date": "2027-01-01", "plan_submitted_date": "2026-07-15"},
    )
    timely = hongshan.declared(
        title="红山区次年计划项目",
        facts={"planned_year_start_date": "2028-01-01", "plan_submitted_date": "2026-07-15"},
        year=2028,
    )
    rows = {row.project.pk: row for row in queue_rows(list(queue_projects(user=hongshan.reviewer)))}
    assert rows[late.pk].is_late and not rows[timely.pk].is_late, rows[late.pk].late
    assert "2026-06-30" in rows[late.pk].late[0]
    page = text_of(browser(hongshan.reviewer).get("/projects/intake/"))
    assert page.count("逾期申报") == 1  # the late row's mark only
    row_text = page[page.index("红山区七月申报项目") : page.index("红山区七月申报项目") + 200]
    assert "逾期申报" in row_text and "2026-06-30" in row_text
    # The project page's intake section (projects/intake/_decision.html) says so too.
    section = _section_html(hongshan.reviewer, Project.objects.get(pk=late.pk))
    assert "逾期申报" in section and "2026-06-30" in section


# Queries of a queue page, whatever its length: session, user, memberships, grants, count, the page
# (with each declaration's date), the batch evaluation (packs, projects, dated events, documents,
# screening), the screening hits, and the session's save (savepoint, update, release).
QUEUE_PAGE_QUERIES = 15
QUEUE_API_QUERIES = 10  # no session: memberships, grants, count, page, evaluation, hits


def _queries(call) -> int:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        assert call().status_code == 200
    return len(captured)


def test_the_queue_costs_the_same_queries_for_one_project_or_ten(hongshan, django_assert_max_num_queries):
    page, api = browser(hongshan.reviewer), client_for(hongshan.reviewer)
    hongshan.declared(title="红山区项目0")
    page.get("/projects/intake/"), api.get("/api/v1/intake/queue/")  # caches warm (specs, calendars)
    one = _queries(lambda: page.get("/projects/intake/")), _queries(lambda: api.get("/api/v1/intake/queue/"))
    for number in range(1, 10):
        project = hongshan.declared(title=f"红山区项目{number}")
        ScreeningAnswer.objects.create(
            project=project,
            item_code="hs_shareable",
            applies=True,
            answered_by=hongshan.staff,
            answered_at=timezone.now(),
        )
    ten = _queries(lambda: page.get("/projects/intake/")), _queries(lambda: api.get("/api/v1/intake/queue/"))
    assert one == ten
    with django_assert_max_num_queries(QUEUE_PAGE_QUERIES):
        response = page.get("/projects/intake/")
    assert text_of(response).count("红山区项目") == 10
    assert text_of(response).count("（二）能通过其他系统共享共用的") == 9
    with django_assert_max_num_queries(QUEUE_API_QUERIES):
        assert api.get("/api/v1/intake/queue/").json()["count"] == 10


def test_an_empty_queue_says_so(hongshan):
    page = text_of(browser(hongshan.reviewer).get("/projects/intake/"))
    assert "暂无待审核的申报项目。" in page


def test_staff_have_no_queue_and_no_link_to_it(hongshan, alpha):
    hongshan.declared()
    for user in (hongshan.staff, alpha.users[Role.AUDITOR], alpha.users[Role.JURISDICTION_ADMIN]):
        response = browser(user).get("/projects/intake/")
        assert response.status_code == 403
        assert "待审核申报" not in text_of(browser(user).get("/projects/"))
    assert client_for(hongshan.staff).get("/api/v1/intake/queue/").status_code == 403
    nav = text_of(browser(hongshan.reviewer).get("/projects/"))
    assert "待审核申报" in nav


def test_another_jurisdictions_reviewer_sees_none_of_it(hongshan, beta):
    project = hongshan.declared()
    outsider = beta.users[Role.REVIEWER]
    assert "红山区政务服务平台升级" not in text_of(browser(outsider).get("/projects/intake/"))
    assert client_for(outsider).get("/api/v1/intake/queue/").json()["results"] == []
    for action in ("return", "enter-library", "reject", "withdraw"):
        assert browser(outsider).get(f"/projects/intake/{project.pk}/{action}/").status_code == 404
        response = browser(outsider).post(
            f"/projects/intake/{project.pk}/{action}/", {"comment": "越权", "confirm": "on"}
        )
        assert response.status_code == 404
    assert Project.objects.get(pk=project.pk).phase == Phase.DECLARED


def test_the_api_queue_row(hongshan):
    project = hongshan.declared()
    body = client_for(hongshan.reviewer).get("/api/v1/intake/queue/").json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["id"] == project.pk and row["total_investment_wan"] == "1234.50"
    assert row["department"] == "红山区数据局" and row["age_days"] == 0
    assert [d["code"] for d in row["missing_documents"]][:2] == ["library_application", "fsr"]
    assert row["missing_documents"][0]["name"] == "申请入库文件"
    assert row["screening_hits"] == [] and row["late"] in (True, False)


# ----------------------------------------------------------------------------- decision pages


def test_return_without_a_reason_is_shown_again_then_with_one_it_is_recorded(hongshan):
    project = hongshan.declared()
    client = browser(hongshan.reviewer)
    url = f"/projects/intake/{project.pk}/return/"
    assert "退回意见" in text_of(client.get(url))
    refused = client.post(url, {"comment": "   "})
    assert refused.status_code == 400
    assert "必须填写原因" in text_of(refused)
    assert Project.objects.get(pk=project.pk).phase == Phase.DECLARED
    reason = "第一，请补充可行性研究报告；\n第二，请说明与市级平台的关系。"
    done = client.post(url, {"comment": reason})
    assert done.status_code == 302 and done["Location"] == f"/projects/{project.pk}/"
    event = AuditEvent.objects.get(project=project, action="return_for_revision")
    assert event.comment == reason and event.actor == hongshan.reviewer
    # Staff read the comment in the intake section of their project page.
    section = _section_html(hongshan.staff, Project.objects.get(pk=project.pk))
    assert "退回意见" in section and "请补充可行性研究报告" in section and "李娜" in section


def test_reject_needs_a_reason_and_a_tick_and_keeps_what_was_typed(hongshan):
    project = hongshan.declared()
    client = browser(hongshan.reviewer)
    url = f"/projects/intake/{project.pk}/reject/"
    unticked = client.post(url, {"comment": "不属于政务信息化项目"})
    assert unticked.status_code == 400
    assert "请勾选以确认" in text_of(unticked)
    assert "不属于政务信息化项目" in unticked.content.decode()  # the typed reason is kept
    no_reason = client.post(url, {"comment": "", "confirm": "on"})
    assert "必须填写原因" in text_of(no_reason)
    assert client.post(url, {"comment": "不属于政务信息化项目", "confirm": "on"}).status_code == 302
    assert Project.objects.get(pk=project.pk).phase == Phase.REJECTED
    section = _section_html(hongshan.staff, Project.objects.get(pk=project.pk))
    assert "驳回理由" in section and "不属于政务信息化项目" in section


def test_entering_the_library_asks_for_a_tick_and_says_what_blocks_it(hongshan):
    project = hongshan.declared()
    client = browser(hongshan.reviewer)
    url = f"/projects/intake/{project.pk}/enter-library/"
    page = text_of(client.get(url))
    assert "纳入项目库前须解决" in page and "申请入库文件" in page
    assert "请勾选以确认" in text_of(client.post(url, {}))
    refused = client.post(url, {"confirm": "on", "comment": "同意"})
    assert refused.status_code == 400  # the documents are missing: the rule refuses, with its article
    assert "第八条" in text_of(refused)
    assert Project.objects.get(pk=project.pk).phase == Phase.DECLARED


def test_staff_withdraw_on_a_confirmation_page(hongshan):
    project = hongshan.declared()
    client = browser(hongshan.staff)
    url = f"/projects/intake/{project.pk}/withdraw/"
    assert "确认撤回申报" in text_of(client.get(url))
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert Project.objects.get(pk=project.pk).phase == Phase.DRAFT
    # A reviewer cannot withdraw: the page says so and offers no form.
    again = hongshan.declared(title="另一个项目")
    page = browser(hongshan.reviewer).get(f"/projects/intake/{again.pk}/withdraw/")
    assert "您现在不能对该项目“撤回申报”" in text_of(page)
    refused = browser(hongshan.reviewer).post(f"/projects/intake/{again.pk}/withdraw/", {"confirm": "on"})
    assert refused.status_code == 403 and Project.objects.get(pk=again.pk).phase == Phase.DECLARED


def test_the_section_offers_each_person_their_own_decisions(hongshan):
    project = hongshan.declared()
    reviewer = _section_context(hongshan.reviewer, project)
    assert (reviewer["intake_may_return"], reviewer["intake_may_reject"]) == (True, True)
    assert reviewer["intake_may_enter_library"] and not reviewer["intake_may_withdraw"]
    assert any(b["message"].startswith("入库材料缺少") for b in reviewer["intake_blocking"])
    staff = _section_context(hongshan.staff, project)
    assert staff["intake_may_withdraw"] and not staff["intake_may_return"]
    html = _section_html(hongshan.reviewer, project)
    assert html.count('name="comment"') == 3 and 'id="return_for_revision_comment"' in html
    assert "确认驳回" in html and "撤回申报" not in html


def _section_context(user, project):
    project = Project.objects.select_related("jurisdiction", "department", "rule_pack").get(pk=project.pk)
    events = list(project.events.select_related("actor"))
    _pack, verdicts = project_verdicts(project, events=[(e.action, e.at) for e in events])
    return intake_section(user=user, project=project, verdicts=verdicts, events=events)


def _section_html(user, project) -> str:
    context = {"project": project, **_section_context(user, project)}
    return render_to_string("projects/intake/_decision.html", context)


@pytest.mark.parametrize("pk", ["0", "99999999999999999999999"])
def test_no_such_project_is_a_404_not_a_500(hongshan, pk):
    client = browser(hongshan.reviewer)
    assert client.get(f"/projects/intake/{pk}/return/").status_code == 404
    assert client.post(f"/projects/intake/{pk}/reject/", {"comment": "x", "confirm": "on"}).status_code == 404
    assert client.get("/projects/intake/?page=999").status_code == 200  # past the end: the last page
