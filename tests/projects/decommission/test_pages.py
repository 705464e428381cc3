"""Decommissioning pages: the section says what is still missing, each step's form, the confirmation
before the end, the flags with their reasons; the API says the same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from jurisdictions.models import Role
from projects.decommission.models import Decommission
from projects.models import Phase
from tests.acceptance.evaluation.helpers import operating
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reviewer_takes_a_system_through_decommissioning(pack_tenant):
    tenant = pack_tenant("hongshan")
    project = operating(tenant)
    reviewer = browser(tenant.users[Role.REVIEWER])
    detail = reverse("projects:detail", args=[project.pk])
    page = reviewer.get(detail).content.decode()
    assert 'id="decommission"' in page and "制定停用方案" in page
    complete = reverse("projects:decommission-complete", args=[project.pk])
    refused = reviewer.post(complete, {"comment": "", "confirm": "on"})
    assert refused.status_code == 400 and "停用方案" in refused.content.decode()
    steps = [
        (
            "decommission-plan",
            [],
            {"reason": "功能已并入统建平台", "planned_stop_on": YESTERDAY, "successor": "统建平台"},
        ),
        (
            "decommission-data",
            [],
            {
                "data_kind": "业务数据",
                "action": "backup",
                "done_by": "运维公司",
                "done_on": YESTERDAY,
                "verification": "校验哈希一致",
            },
        ),
        ("decommission-assets", [], {"disposal": "服务器按报废程序处置"}),
        ("decommission-filing", ["data_bureau"], {"reference": "备2026-1"}),
        ("decommission-filing", ["finance"], {"reference": "财2026-1"}),
    ]
    for name, args, data in steps:
        response = reviewer.post(reverse(f"projects:{name}", args=[project.pk, *args]), data)
        assert response.status_code == 302, (name, response.content.decode()[-2000:])
    assert reviewer.post(complete, {"comment": ""}).status_code == 400  # the confirmation
    assert reviewer.post(complete, {"comment": "", "confirm": "on"}).status_code == 302
    project.refresh_from_db()
    assert project.phase == Phase.DECOMMISSIONED
    assert Decommission.objects.get(project=project).status == "done"


def test_flag_needs_a_reason(pack_tenant):
    tenant = pack_tenant("hongshan")
    project = operating(tenant)
    reviewer = browser(tenant.users[Role.REVIEWER])
    url = reverse("projects:decommission-flag", args=[project.pk, "zombie", "on"])
    assert reviewer.post(url, {"reason": ""}).status_code == 400
    assert reviewer.post(url, {"reason": "一年无人使用"}).status_code == 302
    project.refresh_from_db()
    assert project.facts["is_zombie"] is True
    assert (
        "已标记为停用、僵尸系统"
        in reviewer.get(reverse("projects:detail", args=[project.pk])).content.decode()
    )
    staff = browser(tenant.users[Role.DEPARTMENT_STAFF])
    off = reverse("projects:decommission-flag", args=[project.pk, "zombie", "off"])
    assert staff.post(off, {"reason": "x"}).status_code == 403


def test_api(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = operating(tenant)
    api = client_for(tenant.users[Role.REVIEWER])
    base = f"/api/v1/projects/{project.pk}/decommission/"
    assert api.get(base).json()["missing"][0] == "plan"
    response = api.post(base + "complete/", {}, format="json")
    assert response.status_code == 400 and "第三十八条" in response.json()["detail"]
    assert api.post(base + "data/", {"data_kind": "x"}, format="json").status_code == 400
    response = api.post(base + "plan/", {"reason": "无使用价值", "planned_stop_on": YESTERDAY}, format="json")
    assert response.status_code == 200 and response.json()["record"]["reason"] == "无使用价值"
    response = api.post(base + "flag/", {"flag": "zombie", "on": True, "reason": "僵尸"}, format="json")
    assert response.status_code == 200 and response.json()["is_zombie"] is True
    assert (
        api.post(base + "flag/", {"flag": "zombie", "on": True, "reason": "x"}, format="json").status_code
        == 409
    )


def test_laizhou_section_names_the_article_38_documents(pack_tenant, django_assert_max_num_queries):
    tenant = pack_tenant("laizhou")
    project = operating(tenant)
    reviewer = browser(tenant.users[Role.REVIEWER])
    with django_assert_max_num_queries(80):
        page = reviewer.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "第三十八条" in page and "停用方案" in page and "尚缺文件" in page
