"""The pages: the section on the project page, each action page (GET and POST), refusals shown on the form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from acceptance.completion.models import AcceptanceDelay
from jurisdictions.models import Role
from projects.models import Phase
from tests.acceptance.completion.conftest import in_construction

D = dt.date


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def laizhou(pack_tenant):
    return pack_tenant("laizhou")


def test_the_laizhou_pages_from_construction_to_operation(laizhou):
    staff, reviewer = laizhou.users[Role.DEPARTMENT_STAFF], laizhou.users[Role.REVIEWER]
    today = timezone.localdate()
    project = in_construction(laizhou, "laizhou", on=today - dt.timedelta(days=200))
    detail = f"/projects/{project.pk}/"
    page = client(staff).get(detail)
    assert page.status_code == 200
    body = page.content.decode()
    assert "试运行与验收" in body and "登记试运行" in body
    assert 'value="start_trial_operation"' not in body  # no plain 试运行 button: the record's job
    base = f"/projects/{project.pk}/acceptance/"
    response = client(staff).post(
        base + "trial-run/",
        {
            "completion_date": str(today - dt.timedelta(days=100)),
            "start_date": str(today - dt.timedelta(days=95)),
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.phase == Phase.TRIAL_OPERATION
    response = client(staff).post(
        base + "delay/", {"reason": "测评排期", "requested_date": str(today + dt.timedelta(days=200))}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    delay = AcceptanceDelay.objects.get(project=project)
    assert client(staff).get(base + f"delay/{delay.pk}/decide/").status_code == 200
    refused = client(staff).post(
        base + f"delay/{delay.pk}/decide/",
        {"decision": "grant", "granted_date": str(today + dt.timedelta(days=150)), "confirm": "on"},
    )
    assert refused.status_code == 403
    granted = today + dt.timedelta(days=150)
    response = client(reviewer).post(
        base + f"delay/{delay.pk}/decide/",
        {"decision": "grant", "granted_date": str(granted), "reason": "同意", "confirm": "on"},
    )
    assert response.status_code == 302
    body = client(staff).get(detail).content.decode()
    assert f'datetime="{granted.isoformat()}"' in body
    response = client(staff).post(base + "apply/", {"applied_date": str(today), "confirm": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]
    project.refresh_from_db()
    assert project.phase == Phase.IN_ACCEPTANCE
    missing_reason = client(reviewer).post(
        base + "decide/", {"decision": "fail", "decision_date": str(today), "confirm": "on"}
    )
    assert missing_reason.status_code == 400 and "理由" in missing_reason.content.decode()
    response = client(reviewer).post(
        base + "decide/",
        {"decision": "pass", "decision_date": str(today), "conditions": "合格", "confirm": "on"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.phase == Phase.IN_OPERATION
    page = client(reviewer).get(detail)
    assert page.status_code == 200
    assert "验收之后" in page.content.decode()
    assert client(reviewer).get(base).status_code == 200


def test_baotou_pre_acceptance_review_pages(pack_tenant):
    tenant = pack_tenant("baotou")
    staff, reviewer = tenant.users[Role.DEPARTMENT_STAFF], tenant.users[Role.REVIEWER]
    today = timezone.localdate()
    project = in_construction(tenant, "baotou", on=today - dt.timedelta(days=200))
    base = f"/projects/{project.pk}/acceptance/"
    client(staff).post(
        base + "trial-run/",
        {
            "completion_date": str(today - dt.timedelta(days=9)),
            "start_date": str(today - dt.timedelta(days=8)),
            "confirm": "on",
        },
    )
    body = client(staff).get(f"/projects/{project.pk}/").content.decode()
    assert "竣工验收前置审核" in body and "第二十二条" in body and "申请审核" in body
    assert (
        client(staff).post(base + "checks/pre_acceptance/request/", {"comment": "请审核"}).status_code == 302
    )
    assert client(staff).get(base + "checks/pre_acceptance/decide/").status_code == 200  # shown, not allowed
    refused = client(reviewer).post(
        base + "checks/pre_acceptance/decide/",
        {"decision": "fail", "decision_date": str(today), "confirm": "on"},
    )
    assert refused.status_code == 400  # not passed: the opinion is required
    response = client(reviewer).post(
        base + "checks/pre_acceptance/decide/",
        {"decision": "fail", "decision_date": str(today), "opinion": "资料不全，整改后再审", "confirm": "on"},
    )
    assert response.status_code == 302
    refusal = client(staff).post(base + "apply/", {"applied_date": str(today), "confirm": "on"})
    assert refusal.status_code == 400 and "第二十二条" in refusal.content.decode()
    assert client(staff).post(base + "checks/pre_acceptance/request/", {}).status_code == 302  # again
    client(reviewer).post(
        base + "checks/pre_acceptance/decide/",
        {"decision": "pass", "decision_date": str(today), "confirm": "on"},
    )
    assert (
        client(staff).post(base + "apply/", {"applied_date": str(today), "confirm": "on"}).status_code == 302
    )
    project.refresh_from_db()
    assert project.phase == Phase.IN_ACCEPTANCE
    assert client(staff).get(base + "checks/archive/request/").status_code == 404  # not in 包头's measure


def test_hongshan_stable_date_page_and_section(pack_tenant):
    tenant = pack_tenant("hongshan")
    staff = tenant.users[Role.DEPARTMENT_STAFF]
    today = timezone.localdate()
    project = in_construction(tenant, "hongshan", on=today - dt.timedelta(days=200))
    base = f"/projects/{project.pk}/acceptance/"
    client(staff).post(
        base + "trial-run/",
        {
            "completion_date": str(today - dt.timedelta(days=60)),
            "start_date": str(today - dt.timedelta(days=50)),
            "confirm": "on",
        },
    )
    body = client(staff).get(f"/projects/{project.pk}/").content.decode()
    assert (
        "登记试运行稳定" in body and "登记试运行稳定日期后开始计算期限" in body
    )  # 第二十八条 counts from it
    early = client(staff).post(
        base + "trial-run/stable/", {"stable_date": str(today - dt.timedelta(days=55))}
    )
    assert early.status_code == 400  # before the trial run started
    assert (
        client(staff)
        .post(base + "trial-run/stable/", {"stable_date": str(today - dt.timedelta(days=20))})
        .status_code
        == 302
    )
    body = client(staff).get(f"/projects/{project.pk}/").content.decode()
    due = (today - dt.timedelta(days=20)).replace(day=1)  # six months on: the month is enough to see it moved
    assert "第二十八条" in body and "acceptance-due-date" in body and str(due.year) in body


def test_the_section_reads_a_constant_number_of_queries(pack_tenant, django_assert_max_num_queries):
    tenant = pack_tenant("ordos")
    staff, reviewer = tenant.users[Role.DEPARTMENT_STAFF], tenant.users[Role.REVIEWER]
    project = in_construction(tenant, "ordos")
    services_ = __import__("acceptance.completion.services", fromlist=["services"])
    services_.trial_run_record(
        actor=staff, project_id=project.pk, completion_date=D(2026, 3, 1), start_date=D(2026, 3, 5)
    )
    services_.acceptance_apply(actor=staff, project_id=project.pk, applied_date=D(2026, 8, 1))

    def rounds(n):
        for _ in range(n):
            services_.check_request(actor=staff, project_id=project.pk, kind="archive")
            services_.check_decide(
                actor=reviewer,
                project_id=project.pk,
                kind="archive",
                passed=False,
                decision_date=timezone.localdate(),
                opinion="整改",
            )

    rounds(1)
    browser = client(reviewer)
    browser.get(f"/projects/{project.pk}/acceptance/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert browser.get(f"/projects/{project.pk}/acceptance/").status_code == 200
    rounds(6)
    with django_assert_max_num_queries(len(few)):
        assert browser.get(f"/projects/{project.pk}/acceptance/").status_code == 200
