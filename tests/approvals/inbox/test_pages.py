"""The inbox pages (待办 / 已办, batch with confirmation and a per-item report) and the delegation pages."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approvals.delegation.models import Delegation
from jurisdictions.models import Role
from projects.models import AuditEvent, Project
from security.models import SecurityEvent
from security.selectors import person_name
from tests.approvals.inbox.conftest import declared, delegate
from tests.conftest import make_project

INBOX = reverse("projects:inbox")
BATCH = reverse("projects:inbox-batch")


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def main_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main>") : html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def english_words(text: str) -> list[str]:
    return re.findall(r"\b[A-Za-z]{3,}\b", text)


def test_the_pending_tab_lists_declarations_in_chinese(alpha, qian):
    project = declared(alpha, title="甲市一网通办", total_investment_wan=Decimal("12345.60"))
    delegate(alpha, qian)
    response = browser(qian).get(INBOX)
    assert response.status_code == 200
    text = main_text(response)
    reviewer = person_name(alpha.users[Role.REVIEWER])
    assert "甲市一网通办" in text and project.code in text and "12,345.6" in text
    assert f"代{reviewer}" in text
    assert f"您正在代理 {reviewer} 的审批工作（至" in text
    assert "批量通过" in text and "批量退回" in text
    assert english_words(text.replace(project.code, "")) == []
    assert 'class="inbox-link">待办<span hx-get="/projects/inbox/count/"' in response.content.decode()
    assert (
        '<span class="badge" title="1">1</span>'
        in browser(qian).get("/projects/inbox/count/").content.decode()
    )


def test_the_header_link_is_for_roles_that_decide(alpha):
    declared(alpha)
    assert (
        "badge"
        not in browser(alpha.users[Role.DEPARTMENT_STAFF]).get("/projects/inbox/count/").content.decode()
    )
    assert "inbox-link" in browser(alpha.users[Role.REVIEWER]).get("/projects/").content.decode()
    assert "inbox-link" not in browser(alpha.users[Role.DEPARTMENT_STAFF]).get("/projects/").content.decode()


def test_a_batch_is_confirmed_then_reported_item_by_item(alpha, qian):
    good, draft = declared(alpha, title="可入库项目"), make_project(alpha, title="仍是草稿")
    delegate(alpha, qian)
    client = browser(qian)
    items = [f"intake:{good.pk}", f"intake:{draft.pk}"]
    confirm = client.post(BATCH, {"items": items, "action": "approve"})
    assert confirm.status_code == 200
    assert "可入库项目" in main_text(confirm) and "我已核对以上事项" in main_text(confirm)
    assert Project.objects.get(pk=good.pk).phase == "declared"  # nothing happens before confirmation
    unconfirmed = client.post(BATCH, {"items": items, "action": "approve", "step": "confirm"})
    assert unconfirmed.status_code == 400 and Project.objects.get(pk=good.pk).phase == "declared"
    result = client.post(BATCH, {"items": items, "action": "approve", "confirm": "on", "step": "confirm"})
    text = main_text(result)
    assert result.status_code == 200
    assert "成功 1 项，未办理 1 项" in text and "成功" in text and "未办理" in text
    assert Project.objects.get(pk=good.pk).phase == "in_library"
    assert Project.objects.get(pk=draft.pk).phase == "draft"
    event = AuditEvent.objects.get(project=good, action="enter_library")
    assert event.actor == qian and event.changes["on_behalf_of"]["id"] == alpha.users[Role.REVIEWER].pk
    done = main_text(client.get(INBOX, {"tab": "done"}))
    assert "可入库项目" in done and "入库" in done


def test_returning_in_batch_needs_a_reason(alpha):
    project = declared(alpha)
    client = browser(alpha.users[Role.REVIEWER])
    refused = client.post(BATCH, {"items": [f"intake:{project.pk}"], "action": "return", "confirm": "on"})
    assert refused.status_code == 400 and "必须填写原因" in main_text(refused)
    assert Project.objects.get(pk=project.pk).phase == "declared"
    client.post(
        BATCH, {"items": [f"intake:{project.pk}"], "action": "return", "comment": "补充材料", "confirm": "on"}
    )
    assert Project.objects.get(pk=project.pk).phase == "returned"


def test_staff_cannot_decide_by_a_batch(alpha):
    project = declared(alpha)
    response = browser(alpha.users[Role.DEPARTMENT_STAFF]).post(
        BATCH, {"items": [f"intake:{project.pk}"], "action": "approve", "confirm": "on"}
    )
    assert "未办理" in main_text(response)
    assert Project.objects.get(pk=project.pk).phase == "declared"


def test_delegation_pages_create_list_and_end(alpha, qian):
    reviewer = alpha.users[Role.REVIEWER]
    client = browser(reviewer)
    form = client.get(reverse("projects:delegation-create"))
    assert form.status_code == 200 and person_name(qian) in form.content.decode()
    today = timezone.localdate()
    data = {
        "jurisdiction": alpha.jurisdiction.pk,
        "delegate": qian.pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=7)).isoformat(),
        "reason": "",
    }
    assert client.post(reverse("projects:delegation-create"), data).status_code == 400
    assert client.post(reverse("projects:delegation-create"), {**data, "reason": "出差"}).status_code == 302
    delegation = Delegation.objects.get()
    listing = main_text(client.get(reverse("projects:delegation-list")))
    assert person_name(qian) in listing and "生效中" in listing and english_words(listing) == []
    assert browser(qian).get(reverse("projects:delegation-end", args=[delegation.pk])).status_code == 403
    end = reverse("projects:delegation-end", args=[delegation.pk])
    assert client.post(end, {}).status_code == 400
    assert client.post(end, {"confirm": "on"}).status_code == 302
    delegation.refresh_from_db()
    assert delegation.ended_by == reviewer
    assert SecurityEvent.objects.filter(kind__in=["delegation_created", "delegation_ended"]).count() == 2
    assert (
        browser(alpha.users[Role.DEPARTMENT_STAFF]).get(reverse("projects:delegation-create")).status_code
        == 403
    )
