"""The project form pages (新建项目, 编辑) and the HTMX preview beside them, on 红山区's real measure."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jurisdictions.models import Jurisdiction, Role
from jurisdictions.packfiles import shipped_codes, shipped_pack
from jurisdictions.rules.facts import FACTS
from jurisdictions.services import publish_rule_pack
from projects import services
from projects.models import AuditEvent, Phase, Project
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory


class World:
    def __init__(self):
        spec, content = shipped_pack("hongshan")
        self.pack = publish_rule_pack(spec, content, source="hongshan.yaml").pack
        self.jurisdiction = Jurisdiction.objects.get(code="hongshan")
        self.department = DepartmentFactory(jurisdiction=self.jurisdiction, name_zh="红山区数据局")
        self.other_department = DepartmentFactory(jurisdiction=self.jurisdiction)
        self.staff = self._member("hs_staff", Role.DEPARTMENT_STAFF, self.department)
        self.other_staff = self._member("hs_other_staff", Role.DEPARTMENT_STAFF, self.other_department)
        self.reviewer = self._member("hs_reviewer", Role.REVIEWER, None)

    def _member(self, username, role, department):
        user = UserFactory(username=username)
        MembershipFactory(user=user, jurisdiction=self.jurisdiction, role=role, department=department)
        return user

    def draft(self, **overrides) -> Project:
        values = {
            "actor": self.staff,
            "department": self.department,
            "title": "红山区政务服务平台升级",
            "category": "construction",
            "total_investment_wan": Decimal("80.00"),
            "funding_source": "fiscal",
            "year": 2027,
            "facts": {"is_upgrade": True},
        }
        values.update(overrides)
        return services.create_project(**values)


@pytest.fixture
def world(db) -> World:
    return World()


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(world: World, **overrides) -> dict:
    data = {
        "department": world.department.pk,
        "title": "红山区智慧城管平台",
        "description": "城市管理事件统一受理",
        "category": "construction",
        "total_investment_wan": "1,234.50",
        "funding_source": "fiscal",
        "year": "2027",
        "fact_is_upgrade": "yes",
        "fact_is_new_build": "no",
    }
    data.update(overrides)
    return data


def edit_data(project: Project, **overrides) -> dict:
    data = {
        "title": project.title,
        "description": project.description,
        "category": project.category,
        "total_investment_wan": f"{project.total_investment_wan:,}",
        "funding_source": project.funding_source,
        "year": str(project.year),
        "version": str(project.version),
    }
    for name, value in project.facts.items():
        if value is True or value is False:
            data[f"fact_{name}"] = "yes" if value else "no"
    data.update(overrides)
    return data


def visible(html: str) -> str:
    """The text a person reads: tags, attributes and the CSRF token left out."""
    return re.sub(r"<[^>]+>", " ", html)


RULE_ID = re.compile(rf"\b(?:{'|'.join(shipped_codes())})\.[a-z_]+\.[a-z0-9_]+")
CODES = re.compile(rf"(?<![A-Za-z0-9_])(?:{'|'.join(sorted(FACTS, key=len, reverse=True))})(?![A-Za-z0-9_])")


def assert_no_codes(html: str) -> None:
    text = visible(html)
    assert not RULE_ID.search(text), RULE_ID.search(text)
    assert not CODES.search(text), CODES.search(text)


# ------------------------------------------------------------------ create


def test_staff_create_a_draft_through_the_page(world):
    client = browser(world.staff)
    page = client.get(reverse("projects:create"))
    assert page.status_code == 200
    assert page.context["form"].fields["department"].queryset.get() == world.department
    assert [c for c, _ in page.context["form"].fields["category"].choices] == [
        "construction",
        "service_procurement",
        "om_service",
    ]
    assert "建设类项目" in page.content.decode()  # the measure's own words
    assert_no_codes(page.content.decode())

    response = client.post(reverse("projects:create"), form_data(world))

    project = Project.objects.get(title="红山区智慧城管平台")
    assert response.status_code == 302 and response.url == reverse("projects:detail", args=[project.pk])
    assert project.phase == Phase.DRAFT
    assert project.department == world.department and project.created_by == world.staff
    assert project.total_investment_wan == Decimal("1234.50")
    assert (project.category, project.funding_source, project.year) == ("construction", "fiscal", 2027)
    assert project.description == "城市管理事件统一受理"
    assert project.facts == {"is_upgrade": True, "is_new_build": False}  # "not known" is not stored
    assert list(AuditEvent.objects.filter(project=project).values_list("action", flat=True)) == ["create"]


def test_amounts_in_facts_are_stored_as_numbers(world):
    browser(world.staff).post(
        reverse("projects:create"), form_data(world, fact_original_investment_wan="1,000")
    )
    project = Project.objects.get(title="红山区智慧城管平台")
    assert project.facts["original_investment_wan"] == 1000


def test_other_departments_are_not_offered(world):
    client = browser(world.staff)
    response = client.post(reverse("projects:create"), form_data(world, department=world.other_department.pk))
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert not Project.objects.exists()


def test_non_staff_may_not_open_the_form(world):
    assert browser(world.reviewer).get(reverse("projects:create")).status_code == 403
    assert browser(world.reviewer).post(reverse("projects:create"), form_data(world)).status_code == 403
    assert browser(world.reviewer).post(reverse("projects:preview"), form_data(world)).status_code == 403
    assert not Project.objects.exists()


def test_anonymous_is_sent_to_log_in(world):
    response = Client().get(reverse("projects:create"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_invalid_amount_is_said_in_chinese_and_the_input_is_kept(world):
    response = browser(world.staff).post(
        reverse("projects:create"), form_data(world, total_investment_wan="八十万")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "输入一个数字" in html
    assert 'value="八十万"' in html and 'value="红山区智慧城管平台"' in html
    assert not Project.objects.exists()


def test_negative_amount_is_refused(world):
    response = browser(world.staff).post(
        reverse("projects:create"), form_data(world, total_investment_wan="-5")
    )
    assert response.status_code == 400
    assert "确保该值大于或等于0" in response.content.decode()


def test_unknown_category_is_said_in_chinese_and_the_input_is_kept(world):
    response = browser(world.staff).post(reverse("projects:create"), form_data(world, category="rocket"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "选择一个有效的选项" in html
    assert 'value="红山区智慧城管平台"' in html and 'value="1,234.50"' in html
    assert not Project.objects.exists()


# ------------------------------------------------------------------ edit


def test_edit_shows_the_project_with_separators_and_its_version(world):
    project = world.draft(total_investment_wan=Decimal("1234.5"))
    page = browser(world.staff).get(reverse("projects:edit", args=[project.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="1,234.50"' in html
    assert f'name="version" value="{project.version}"' in html
    assert re.search(r'name="fact_is_upgrade" value="yes"[^>]*checked', html)
    assert_no_codes(html)


def test_edit_saves_through_the_service(world):
    project = world.draft()
    response = browser(world.staff).post(
        reverse("projects:edit", args=[project.pk]), edit_data(project, title="红山区政务服务平台二期")
    )
    project.refresh_from_db()
    assert response.status_code == 302 and response.url == reverse("projects:detail", args=[project.pk])
    assert project.title == "红山区政务服务平台二期" and project.version == 2
    event = AuditEvent.objects.filter(project=project, action="update").get()
    assert set(event.changes) == {"title"}  # only what changed


def test_not_known_removes_a_fact(world):
    project = world.draft(facts={"is_upgrade": True, "is_new_build": False, "is_cross_department": False})
    browser(world.staff).post(
        reverse("projects:edit", args=[project.pk]), edit_data(project, fact_is_upgrade="")
    )
    project.refresh_from_db()
    assert project.facts == {"is_new_build": False, "is_cross_department": False}


def test_stale_version_says_so_and_keeps_the_input(world):
    project = world.draft()
    stale = edit_data(project, title="我的修改")
    services.update_project(actor=world.staff, project_id=project.pk, changes={"description": "别人先改了"})

    response = browser(world.staff).post(reverse("projects:edit", args=[project.pk]), stale)

    html = response.content.decode()
    assert response.status_code == 400
    assert "记录在您读取后已被修改" in html
    assert 'value="我的修改"' in html  # nothing typed is lost
    project.refresh_from_db()
    assert project.title == "红山区政务服务平台升级" and project.description == "别人先改了"
    assert f'name="version" value="{project.version}"' in html  # saving again applies it knowingly
    again = browser(world.staff).post(
        reverse("projects:edit", args=[project.pk]), {**stale, "version": str(project.version)}
    )
    project.refresh_from_db()
    assert again.status_code == 302 and project.title == "我的修改"


def test_another_departments_project_is_not_found(world):
    project = world.draft()
    assert browser(world.other_staff).get(reverse("projects:edit", args=[project.pk])).status_code == 404
    response = browser(world.other_staff).post(
        reverse("projects:edit", args=[project.pk]), edit_data(project)
    )
    assert response.status_code == 404
    assert browser(world.reviewer).get(reverse("projects:edit", args=[project.pk])).status_code == 404
    assert (
        browser(world.other_staff).post(reverse("projects:edit_preview", args=[project.pk])).status_code
        == 404
    )


def test_a_declared_project_is_not_edited(world):
    project = world.draft(facts={"is_upgrade": True, "is_new_build": False, "is_cross_department": False})
    services.transition_project(actor=world.staff, project_id=project.pk, name="declare")
    response = browser(world.staff).post(reverse("projects:edit", args=[project.pk]), edit_data(project))
    project.refresh_from_db()
    assert response.status_code == 302 and project.phase == Phase.DECLARED and project.version == 2


# ------------------------------------------------------------------ links


def test_list_offers_new_project_to_staff_only(world):
    create = reverse("projects:create")
    assert f'href="{create}"' in browser(world.staff).get(reverse("projects:list")).content.decode()
    assert f'href="{create}"' not in browser(world.reviewer).get(reverse("projects:list")).content.decode()


def test_detail_offers_edit_on_own_drafts_only(world):
    project = world.draft(facts={"is_upgrade": True, "is_new_build": False, "is_cross_department": False})
    edit = f'href="{reverse("projects:edit", args=[project.pk])}"'
    detail = reverse("projects:detail", args=[project.pk])
    assert edit in browser(world.staff).get(detail).content.decode()
    assert edit not in browser(world.reviewer).get(detail).content.decode()
    services.transition_project(actor=world.staff, project_id=project.pk, name="declare")
    assert edit not in browser(world.staff).get(detail).content.decode()


# ------------------------------------------------------------------ preview


def test_preview_shows_what_blocks_declaring_first_then_what_is_missing(world):
    response = browser(world.staff).post(
        reverse("projects:preview"), form_data(world, fact_is_new_build="yes", fact_is_upgrade="")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Project.objects.exists()  # nothing is saved
    blocking = html.index("不支持新建的项目（负面清单）")  # 第六条: the screening is not answered yet
    assert "红山区政务信息化项目管理暂行办法 第六条" in html
    missing = html.index("申报主体")  # 第七条 asks who applies: not stated
    assert blocking < missing
    assert "不得未批先建" not in html  # a rule of a later step is no failure of a draft
    assert "跨部门共建共享" in html  # but an approval rule that stops declaring is asked for (第十五条)
    assert_no_codes(html)


def test_preview_reacts_to_answers(world):
    client = browser(world.staff)
    unknown = client.post(
        reverse("projects:preview"), form_data(world, fact_is_new_build="")
    ).content.decode()
    answered = client.post(
        reverse("projects:preview"), form_data(world, fact_is_new_build="no")
    ).content.decode()
    assert "新建项目" in unknown  # asked for, by its name
    assert "不支持新建的项目（负面清单）" not in answered


def test_preview_of_an_invalid_form_names_the_fields(world):
    response = browser(world.staff).post(
        reverse("projects:preview"), form_data(world, total_investment_wan="x")
    )
    assert response.status_code == 200
    assert "总投资（万元）" in response.content.decode()


def test_edit_preview_reads_the_stored_facts_and_the_answers(world):
    project = world.draft(facts={"is_new_build": True})
    response = browser(world.staff).post(
        reverse("projects:edit_preview", args=[project.pk]), edit_data(project)
    )
    assert "不支持新建的项目（负面清单）" in response.content.decode()
    cleared = browser(world.staff).post(
        reverse("projects:edit_preview", args=[project.pk]), edit_data(project, fact_is_new_build="no")
    )
    assert "不支持新建的项目（负面清单）" not in cleared.content.decode()
    project.refresh_from_db()
    assert project.facts == {"is_new_build": True} and project.version == 1


def test_preview_says_when_the_project_is_outside_the_measure(db):
    spec, content = shipped_pack("baotou")  # 第二条: a secret project is outside the measure
    place = publish_rule_pack(spec, content, source="baotou.yaml").pack.jurisdiction
    department = DepartmentFactory(jurisdiction=place)
    staff = UserFactory(username="bt_staff")
    MembershipFactory(user=staff, jurisdiction=place, role=Role.DEPARTMENT_STAFF, department=department)
    data = {
        "department": department.pk,
        "title": "包头市某涉密系统",
        "category": "business",
        "total_investment_wan": "80",
        "funding_source": "fiscal",
        "year": "2027",
        "fact_is_secret": "yes",
    }
    html = browser(staff).post(reverse("projects:preview"), data).content.decode()
    assert "涉密政务信息化项目按国家保密管理规定执行，不适用本办法" in html
    assert "第二条" in html
    assert_no_codes(html)


def test_the_form_speaks_english_too(world):
    from django.conf import settings

    client = browser(world.staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("projects:create")).content.decode()
    assert "Construction project" in html  # the measure's category, in its English words
    assert "upgrade or extension of an existing system" in html  # a declared fact's English name
    preview = client.post(reverse("projects:preview"), form_data(world, fact_is_new_build="yes"))
    assert "New builds not supported (negative list)" in preview.content.decode()
