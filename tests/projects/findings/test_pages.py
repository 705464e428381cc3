"""The 「审核认定与运行情况」 section and the page of one finding, on 莱州's measure."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jurisdictions.models import Role
from projects.findings.models import Finding
from projects.models import AuditEvent
from tests.acceptance.evaluation.helpers import operating

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def laizhou(pack_tenant):
    return pack_tenant("laizhou")


def test_a_reviewer_records_a_finding_on_its_page(laizhou):
    project = operating(laizhou, facts={"crypto_compliant": True})
    reviewer = _client(laizhou.users[Role.REVIEWER])
    detail = reverse("projects:detail", args=[project.pk])
    page = reviewer.get(detail).content.decode()
    assert "审核认定与运行情况" in page
    url = reverse("projects:finding-record", args=[project.pk, "major_security_hazard"])
    assert url in page

    form = reviewer.get(url)
    assert form.status_code == 200
    text = form.content.decode()
    assert "记录审核认定：存在重大安全隐患" in text
    assert "第二十六条" in text  # the rule that turns on it

    done = reviewer.post(url, {"value": "yes", "reason": "等保测评发现高危漏洞", "basis": "莱数检7号"})
    assert done.status_code == 302 and done["Location"].endswith("#findings")
    project.refresh_from_db()
    assert project.facts["major_security_hazard"] is True
    after = reviewer.get(detail).content.decode()
    assert "等保测评发现高危漏洞" in after
    assert "major_security_hazard" not in after.split('id="findings"')[1].split("</section>")[0].replace(
        url, ""
    )


def test_a_reason_is_required(laizhou):
    project = operating(laizhou)
    url = reverse("projects:finding-record", args=[project.pk, "major_security_hazard"])
    response = _client(laizhou.users[Role.REVIEWER]).post(url, {"value": "yes", "reason": ""})
    assert response.status_code == 400
    assert not Finding.objects.exists()


def test_the_department_states_but_does_not_find(laizhou):
    project = operating(laizhou, facts={"shares_data": False})
    staff = _client(laizhou.users[Role.DEPARTMENT_STAFF])
    finding = reverse("projects:finding-record", args=[project.pk, "major_security_hazard"])
    assert "您的角色目前不能" in staff.get(finding).content.decode()
    assert staff.post(finding, {"value": "no", "reason": "无"}).status_code == 403

    statement = reverse("projects:finding-record", args=[project.pk, "shares_data"])
    assert "更新运行情况" in staff.get(statement).content.decode()
    assert staff.post(statement, {"value": "yes", "reason": "已接入共享交换平台"}).status_code == 302
    assert AuditEvent.objects.filter(project=project).last().action == "status_update"


def test_another_jurisdiction_and_unknown_facts_get_404(laizhou, pack_tenant):
    project = operating(laizhou)
    ordos = pack_tenant("ordos")
    url = reverse("projects:finding-record", args=[project.pk, "shares_data"])
    assert _client(ordos.users[Role.REVIEWER]).get(url).status_code == 404
    reviewer = _client(laizhou.users[Role.REVIEWER])
    for fact in ("city_government_approved", "documents", "nonsense"):
        assert reviewer.get(reverse("projects:finding-record", args=[project.pk, fact])).status_code == 404


def test_the_section_costs_the_same_with_many_findings(laizhou, django_assert_max_num_queries):
    from projects.findings.services import finding_record

    project = operating(laizhou)
    reviewer = laizhou.users[Role.REVIEWER]
    browser = _client(reviewer)
    detail = reverse("projects:detail", args=[project.pk])
    browser.get(detail)
    finding_record(actor=reviewer, project_id=project.pk, fact="shares_data", value=True, reason="1")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        browser.get(detail)
    for n in range(30):
        finding_record(
            actor=reviewer, project_id=project.pk, fact="shares_data", value=n % 2 == 0, reason=str(n)
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert browser.get(detail).status_code == 200
