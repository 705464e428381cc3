"""Measure succession (issue 13 §5): a measure that lapses, the pack that follows it, the warnings.

包头's measure runs to 2026-11-30; 莱州's and 鄂尔多斯's have expired. Admins see it on their home page
and can draft the successor; projects declared after the old measure ends pin the successor; while
none exists, a declaration is warned, naming the measure that lapsed.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jurisdictions.editor import services as editor
from jurisdictions.editor.succession import declaration_warning, succession, successions
from jurisdictions.models import Jurisdiction, Role, RulePack
from jurisdictions.rules.schema import load_pack_text
from jurisdictions.services import publish_rule_pack
from projects.services import transition_project
from tests.conftest import make_project, testland_text

pytestmark = pytest.mark.django_db
ENDED = dt.date(2025, 6, 30)
BAOTOU = "《包头市本级政务信息化项目建设管理办法（试行）》（包府办发〔2024〕106号）"
LAPSED_WARNING = (
    "《测试市政务信息化项目管理办法》已于 2025-06-30 失效，尚无后续规则包；"
    "申报仍按最后有效版本（第 2 版）执行"
)


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def lapsed(alpha):
    """alpha's measure with an end: 2025-06-30 (version 2, applying like version 1 from 2025-01-01)."""
    text = testland_text("alpha").replace(
        "  effective_to: null\n", f"  effective_to: {ENDED.isoformat()}\n", 1
    )
    publish_rule_pack(*load_pack_text(text, source="test-lapsed"), source="test-lapsed")
    return alpha


def _successor(tenant, starts: dt.date) -> RulePack:
    """The admin drafts the successor from the current pack and publishes it, applying from `starts`."""
    admin = tenant.users[Role.JURISDICTION_ADMIN]
    draft = editor.draft_open(actor=admin, code=tenant.jurisdiction.code, successor=True)
    return editor.draft_publish(
        actor=admin, draft_id=draft.pk, revision=draft.revision, effective_from=starts, note="后续办法"
    )


@pytest.mark.parametrize(
    ("code", "day", "state", "said"),
    [
        ("baotou", dt.date(2026, 6, 1), None, None),
        (
            "baotou",
            dt.date(2026, 11, 1),
            "expiring",
            f"{BAOTOU}将于 2026-11-30 失效（剩余 29 天），尚无后续规则包。",
        ),
        (
            "baotou",
            dt.date(2026, 12, 1),
            "expired",
            f"{BAOTOU}已于 2026-11-30 失效，尚无后续规则包。",
        ),
        (
            "laizhou",
            dt.date(2026, 11, 1),
            "expired",
            "《莱州市政务信息化项目管理办法（试行）》（莱政办发〔2022〕6号）"
            "已于 2024-09-28 失效，尚无后续规则包。",
        ),
        ("ordos", dt.date(2026, 11, 1), "expired", "《数字鄂尔多斯建设项目管理办法》已于 2025-06-21 失效"),
        ("hongshan", dt.date(2026, 11, 1), None, None),
        ("nanchong", dt.date(2026, 11, 1), None, None),
    ],
)
def test_the_five_measures(pack_tenant, code, day, state, said):
    jurisdiction = pack_tenant(code).jurisdiction
    found = succession(jurisdiction, day)
    if state is None:
        assert found is None
        assert declaration_warning(jurisdiction, day) is None
        return
    assert found.state == state and found.successor is None
    assert found.message().startswith(said)
    warning = declaration_warning(jurisdiction, day)
    if state == "expired":
        assert warning.endswith("尚无后续规则包；申报仍按最后有效版本（第 1 版）执行")
        assert warning.startswith("《")
    else:
        assert warning is None  # still in force: nothing lapsed yet


def test_a_successor_is_pinned_by_declarations_after_it_applies(lapsed):
    today = timezone.localdate()
    staff = lapsed.users[Role.DEPARTMENT_STAFF]
    assert declaration_warning(lapsed.jurisdiction, today) == LAPSED_WARNING
    successor = _successor(lapsed, today + dt.timedelta(days=10))
    assert successor.version == 3 and successor.effective_from == today + dt.timedelta(days=10)

    found = succession(lapsed.jurisdiction, today)
    assert found.lapsed and found.successor == successor and found.pack.version == 2
    assert f"后续规则包（第 3 版）自 {today + dt.timedelta(days=10)} 起施行" in found.message()
    assert declaration_warning(lapsed.jurisdiction, today) is None  # a successor exists
    assert succession(lapsed.jurisdiction, today + dt.timedelta(days=10)) is None  # the new one has no end

    before, after = make_project(lapsed), make_project(lapsed)
    transition_project(actor=staff, project_id=before.pk, name="declare", as_of=today + dt.timedelta(days=9))
    transition_project(actor=staff, project_id=after.pk, name="declare", as_of=today + dt.timedelta(days=10))
    before.refresh_from_db()
    after.refresh_from_db()
    assert before.rule_pack.version == 2 and after.rule_pack.version == 3


def test_the_lapsed_measure_s_own_edit_is_no_successor(lapsed):
    """An admin's edit of the lapsed measure, applying from today, still ends on 2025-06-30."""
    admin = lapsed.users[Role.JURISDICTION_ADMIN]
    draft = editor.draft_open(actor=admin, code="alpha", successor=False)
    rule = next(r for r in draft.content["rules"] if r["id"] == "alpha.construction.supervision")
    draft = editor.draft_rule_save(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        rule={**rule, "value": 100},
        rule_id=rule["id"],
    )
    today = timezone.localdate()
    edit = editor.draft_publish(
        actor=admin, draft_id=draft.pk, revision=draft.revision, effective_from=today, note="门槛调整"
    )
    found = succession(lapsed.jurisdiction, today)
    assert found.pack == edit and found.successor is None
    assert declaration_warning(lapsed.jurisdiction, today) == LAPSED_WARNING.replace("第 2 版", "第 3 版")


def test_successions_read_any_number_of_jurisdictions_in_two_queries(
    pack_tenant, lapsed, django_assert_num_queries
):
    for code in ("baotou", "laizhou", "ordos", "nanchong"):
        pack_tenant(code)
    everything = list(Jurisdiction.objects.order_by("code"))
    for jurisdiction in everything:  # the specs, validated once per process
        succession(jurisdiction, dt.date(2026, 11, 1))
    with django_assert_num_queries(2):  # the versions, the open drafts
        found = successions(everything, dt.date(2026, 11, 1))
    assert [(s.jurisdiction.code, s.state) for s in found] == [
        ("laizhou", "expired"),  # by the day each measure ends
        ("ordos", "expired"),
        ("alpha", "expired"),
        ("baotou", "expiring"),
    ]


# ---------------------------------------------------------------------------- the pages


def test_the_project_page_warns_a_declaration_while_the_measure_has_lapsed(lapsed):
    project = make_project(lapsed)
    url = reverse("projects:detail", args=[project.pk])
    body = _browser(lapsed.users[Role.DEPARTMENT_STAFF]).get(url).content.decode()
    actions = body.split('id="actions"')[1].split("</section>")[0]
    assert LAPSED_WARNING in actions and 'value="declare"' in actions
    # a reviewer does not declare: no warning for them
    assert "尚无后续规则包" not in _browser(lapsed.users[Role.REVIEWER]).get(url).content.decode()
    _successor(lapsed, timezone.localdate() + dt.timedelta(days=10))
    again = _browser(lapsed.users[Role.DEPARTMENT_STAFF]).get(url).content.decode()
    assert "尚无后续规则包" not in again and 'value="declare"' in again


def test_the_project_page_does_not_warn_while_the_measure_is_in_force(alpha):
    project = make_project(alpha)
    body = _browser(alpha.users[Role.DEPARTMENT_STAFF]).get(reverse("projects:detail", args=[project.pk]))
    assert 'value="declare"' in body.content.decode() and "失效" not in body.content.decode()


@time_machine.travel(dt.datetime(2026, 11, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_the_admin_s_home_says_which_measures_lapse_and_offers_the_successor_draft(pack_tenant):
    baotou, laizhou = pack_tenant("baotou"), pack_tenant("laizhou")
    body = _browser(baotou.users[Role.JURISDICTION_ADMIN]).get("/").content.decode()
    box = body.split('id="succession"')[1].split("</section>")[0]
    assert f"{BAOTOU}将于 2026-11-30 失效（剩余 20 天）" in box
    assert "莱州" not in box  # not theirs
    assert re.search(
        rf'<form method="post" action="{reverse("rules:draft-start", args=["baotou"])}"[^>]*>.*'
        r'name="successor" value="1".*起草后续规则包</button>',
        box,
        re.S,
    )
    # once a draft is open, the box leads to it
    admin = laizhou.users[Role.JURISDICTION_ADMIN]
    draft = editor.draft_open(actor=admin, code="laizhou", successor=True)
    box = _browser(admin).get("/").content.decode().split('id="succession"')[1].split("</section>")[0]
    assert "已于 2024-09-28 失效，尚无后续规则包。" in box
    assert f'href="{reverse("rules:draft", args=[draft.pk])}">继续编辑草稿</a>' in box
    assert "起草后续规则包" not in box
    # nobody else is told
    for role in (Role.REVIEWER, Role.DEPARTMENT_STAFF, Role.AUDITOR):
        assert 'id="succession"' not in _browser(laizhou.users[role]).get("/").content.decode()


def test_the_admin_s_home_says_when_the_successor_applies(lapsed):
    starts = timezone.localdate() + dt.timedelta(days=10)
    _successor(lapsed, starts)
    box = _browser(lapsed.users[Role.JURISDICTION_ADMIN]).get("/").content.decode()
    box = box.split('id="succession"')[1].split("</section>")[0]
    assert f"已于 2025-06-30 失效；后续规则包（第 3 版）自 {starts} 起施行。" in box
    assert "起草后续规则包" not in box and "继续编辑草稿" not in box
