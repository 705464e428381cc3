"""The inbox merges every source: items with a clock first (soonest due), then the longest waiting;
overdue items are marked, the others show the working days left."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from approvals.inbox import registry
from approvals.inbox.registry import InboxItem
from approvals.inbox.services import decide_batch, pending_items
from govproj.errors import NotPermitted
from jurisdictions.models import Role


class FakeSource:
    kind = "fake"
    label = "测试事项"

    def __init__(self, items):
        self.items = items
        self.decided = []

    def pending(self, user):
        return self.items

    def done(self, user):
        return []

    def count(self, user):
        return len(self.items)

    def decide(self, user, key, action, comment):
        if key == "refuse":
            raise NotPermitted("不归您办理")
        self.decided.append((key, action, comment))


def item(key, *, since_days_ago, due=None):
    now = timezone.now()
    return InboxItem(
        kind="fake",
        key=key,
        what="办理测试事项",
        url="/projects/",
        project_id=1,
        project_code=f"T-{key}",
        project_title=f"测试项目{key}",
        department="测试局",
        amount_wan=Decimal("10"),
        since=now - dt.timedelta(days=since_days_ago),
        due=due,
        batch=("approve",),
    )


@pytest.fixture
def fake(monkeypatch):
    today = timezone.localdate()
    source = FakeSource(
        [
            item("old", since_days_ago=30),
            item("late", since_days_ago=2, due=today - dt.timedelta(days=3)),
            item("new", since_days_ago=1),
            item("soon", since_days_ago=5, due=today + dt.timedelta(days=10)),
        ]
    )
    monkeypatch.setitem(registry.SOURCES, "fake", source)
    return source


def test_soonest_clock_first_then_the_longest_waiting(alpha, fake):
    keys = [i.key for i in pending_items(alpha.users[Role.REVIEWER]) if i.kind == "fake"]
    assert keys == ["late", "soon", "old", "new"]


def test_the_page_marks_overdue_and_counts_working_days(alpha, fake):
    client = Client()
    client.force_login(alpha.users[Role.REVIEWER])
    html = client.get("/projects/inbox/").content.decode()
    late, soon = html.index("测试项目late"), html.index("测试项目soon")
    assert late < soon < html.index("测试项目old") < html.index("测试项目new")
    assert "已超期" in html[late:soon]
    assert "剩余" in html[soon:] and "个工作日" in html[soon:]


def test_a_batch_goes_on_after_a_refusal(alpha, fake):
    results = decide_batch(
        alpha.users[Role.REVIEWER], [("fake", "old"), ("fake", "refuse"), ("fake", "new")], "approve", ""
    )
    assert [(r.key, r.done, r.reason) for r in results] == [
        ("old", True, ""),
        ("refuse", False, "不归您办理"),
        ("new", True, ""),
    ]
    assert fake.decided == [("old", "approve", ""), ("new", "approve", "")]
