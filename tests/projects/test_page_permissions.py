"""The page walker: every page of the `projects` namespace, for everyone who might ask for it.

The API has its own walker (test_permissions.py). Here, for each page: a visitor who is not signed
in is sent to the login page; another jurisdiction's people get a 404 for this jurisdiction's
objects (never a 403 that says they exist) and never see its projects in a list; every role of the
jurisdiction gets an answer, never a server error, and nobody outside the project's department
sees its department's draft.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse

from jurisdictions.editor.services import draft_open
from jurisdictions.models import Role
from projects import services
from projects.documents.services import document_upload
from projects.plans import services as plans
from tests.approvals.delegation.helpers import delegation_for_walk
from tests.approvals.opinions.helpers import opinion_for_walk
from tests.conftest import make_project

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"x" * 100 + b"\n%%EOF\n"
TITLE = "甲市政务服务平台升级"

# Each page: how to build its URL from the world below, and whether it shows one object of the
# jurisdiction (then another jurisdiction gets a 404) or a list (then it shows none of ours).
PAGES = {
    "list": (lambda w: reverse("projects:list"), "list"),
    "export": (lambda w: reverse("projects:export"), "list"),
    "create": (lambda w: reverse("projects:create"), "list"),
    "preview": (lambda w: reverse("projects:preview"), "list"),
    "intake-queue": (lambda w: reverse("projects:intake-queue"), "list"),
    "intake-return": (lambda w: reverse("projects:intake-return", args=[w["declared"].pk]), "object"),
    "intake-enter-library": (
        lambda w: reverse("projects:intake-enter-library", args=[w["declared"].pk]),
        "object",
    ),
    "intake-reject": (lambda w: reverse("projects:intake-reject", args=[w["declared"].pk]), "object"),
    "intake-withdraw": (lambda w: reverse("projects:intake-withdraw", args=[w["declared"].pk]), "object"),
    "plan-list": (lambda w: reverse("projects:plan-list"), "list"),
    "plan-detail": (lambda w: reverse("projects:plan-detail", args=[w["plan"].pk]), "object"),
    "plan-add": (lambda w: reverse("projects:plan-add", args=[w["plan"].pk]), "object"),
    "plan-remove": (
        lambda w: reverse("projects:plan-remove", args=[w["plan"].pk, w["draft"].pk]),
        "object",
    ),
    "plan-publish": (lambda w: reverse("projects:plan-publish", args=[w["plan"].pk]), "object"),
    "plan-revise": (lambda w: reverse("projects:plan-revise", args=[w["plan"].pk]), "object"),
    "plan-emergency": (lambda w: reverse("projects:plan-emergency", args=[w["plan"].pk]), "object"),
    "detail": (lambda w: reverse("projects:detail", args=[w["draft"].pk]), "object"),
    "edit": (lambda w: reverse("projects:edit", args=[w["draft"].pk]), "object"),
    "edit_preview": (lambda w: reverse("projects:edit_preview", args=[w["draft"].pk]), "object"),
    "transition": (lambda w: reverse("projects:transition", args=[w["draft"].pk]), "object"),
    "document-upload": (lambda w: reverse("projects:document-upload", args=[w["draft"].pk]), "object"),
    "document-download": (
        lambda w: reverse("projects:document-download", args=[w["draft"].pk, w["document"].pk]),
        "object",
    ),
    "document-reject": (
        lambda w: reverse("projects:document-reject", args=[w["draft"].pk, w["document"].pk]),
        "object",
    ),
    "duplicate-decide": (lambda w: reverse("projects:duplicate-decide", args=[w["draft"].pk]), "object"),
    "screening-answer": (lambda w: reverse("projects:screening-answer", args=[w["draft"].pk]), "object"),
    "screening-review": (lambda w: reverse("projects:screening-review", args=[w["draft"].pk]), "object"),
    "stage-list": (lambda w: reverse("projects:stage-list", args=[w["draft"].pk]), "object"),
    **{
        f"stage-{action}": (
            lambda w, action=action: reverse(f"projects:stage-{action}", args=[w["draft"].pk, "fsr"]),
            "object",
        )
        for action in ("submit", "withdraw", "pass-review", "approve", "file", "return", "reject")
    },
    "inbox": (lambda w: reverse("projects:inbox"), "list"),
    "inbox-batch": (lambda w: reverse("projects:inbox-batch"), "list"),
    "inbox-count": (lambda w: reverse("projects:inbox-count"), "list"),
    "delegation-list": (lambda w: reverse("projects:delegation-list"), "list"),
    "delegation-create": (lambda w: reverse("projects:delegation-create"), "list"),
    "delegation-end": (
        lambda w: reverse("projects:delegation-end", args=[delegation_for_walk(w["alpha"]).pk]),
        "object",
    ),
    "opinion-mine": (lambda w: reverse("projects:opinion-mine"), "list"),
    **{
        f"opinion-{action}": (
            lambda w, action=action: reverse(f"projects:opinion-{action}", args=[w["draft"].pk]),
            "object",
        )
        for action in ("request", "rerequest", "add")
    },
    **{
        f"opinion-{action}": (
            lambda w, action=action: reverse(
                f"projects:opinion-{action}", args=[w["draft"].pk, opinion_for_walk(w["draft"]).pk]
            ),
            "object",
        )
        for action in ("answer", "file")
    },
}
# O&M funding (budgets.om): testland's draft project has no application, so each application page is a
# 404 here; tests/budgets/om/test_pages.py walks them on the 莱州 pack.
PAGES.update(
    {
        "om-apply": (lambda w: reverse("projects:om-apply", args=[w["draft"].pk]), "object"),
        "om-queue": (lambda w: reverse("projects:om-queue"), "list"),
        **{
            f"om-{name}": (
                lambda w, name=name: reverse(f"projects:om-{name}", args=[w["draft"].pk, 999999]),
                "object",
            )
            for name in ("detail", "decide", "submit", "withdraw")
        },
    }
)
# Review steps (approvals.reviews): the testland pack has none, so every step page is a 404 here;
# tests/approvals/reviews/test_pages.py walks them on the staged pack.
REVIEW_STEP_PAGES = ("organise", "pass", "fail", "reopen", "assign", "third-party")


def _review_url(name: str, *args):
    return lambda w: reverse(f"projects:review-{name}", args=[w["declared"].pk, *args])


PAGES.update(
    {
        "review-mine": (lambda w: reverse("projects:review-mine"), "list"),
        **{f"review-{a}": (_review_url(a, "pre_review"), "object") for a in REVIEW_STEP_PAGES},
        **{f"review-{a}": (_review_url(a, 1), "object") for a in ("withdraw", "opinion")},
        "review-file": (_review_url("file", "step", 1), "object"),
    }
)
# Trial run and acceptance (acceptance.completion) on the draft: each page answers (its action is not
# allowed yet); testland has no checks before acceptance nor delay rule (404). Walked with their
# records in tests/acceptance/completion/test_pages.py.
PAGES.update(
    {
        **{
            f"acceptance{suffix}": (
                lambda w, suffix=suffix: reverse(f"projects:acceptance{suffix}", args=[w["draft"].pk]),
                "object",
            )
            for suffix in ("", "-trial-run", "-stable", "-delay", "-apply", "-decide", "-standard")
        },
        **{
            f"acceptance-check-{a}": (
                lambda w, a=a: reverse(f"projects:acceptance-check-{a}", args=[w["draft"].pk, "archive"]),
                "object",
            )
            for a in ("request", "decide")
        },
        "acceptance-delay-decide": (
            lambda w: reverse("projects:acceptance-delay-decide", args=[w["draft"].pk, 1]),
            "object",
        ),
    }
)
# Change requests and final accounts (budgets.changes) on the draft: no request 1 there (404); walked with
# their records in tests/budgets/changes/test_pages.py.
PAGES.update(
    {
        **{
            f"change-{name}": (
                lambda w, name=name: reverse(f"projects:change-{name}", args=[w["draft"].pk]),
                "object",
            )
            for name in ("list", "create", "account", "surplus-return")
        },
        **{
            f"change-{name}": (
                lambda w, name=name: reverse(f"projects:change-{name}", args=[w["draft"].pk, 1]),
                "object",
            )
            for name in (
                "detail",
                "edit",
                "submit",
                "withdraw",
                "approve",
                "return",
                "reject",
                "acknowledge",
                "new-project",
            )
        },
    }
)
# Construction records (projects.construction): a draft has none (404 for everyone); walked with their
# records on the real measures in tests/projects/construction/test_pages.py.
PAGES.update(
    {
        **{
            f"construction-{name}": (
                lambda w, name=name: reverse(f"projects:construction-{name}", args=[w["draft"].pk]),
                "object",
            )
            for name in (
                "overview",
                "supervision",
                "supervision-file",
                "procurement",
                "report-new",
                "incident-new",
            )
        },
        "construction-report": (
            lambda w: reverse("projects:construction-report", args=[w["draft"].pk, 2026]),
            "object",
        ),
        **{
            f"construction-incident{suffix}": (
                lambda w, suffix=suffix: reverse(
                    f"projects:construction-incident{suffix}", args=[w["draft"].pk, 1]
                ),
                "object",
            )
            for suffix in ("", "-file", "-rectify", "-suspend", "-report-done", "-confirm", "-return")
        },
    }
)
# Evaluation and decommissioning (acceptance.evaluation, projects.decommission) on the draft: forms are
# shown, posts refused (not in operation); no assignment, file or draw 1 (404). Walked in operation in
# tests/acceptance/evaluation/test_pages.py and tests/projects/decommission/test_pages.py.
PAGES.update(
    {
        **{
            f"evaluation-{name}": (
                lambda w, name=name: reverse(f"projects:evaluation-{name}", args=[w["draft"].pk]),
                "object",
            )
            for name in ("self", "post-organise", "post-assign", "post-third-party", "post-conclude")
        },
        "evaluation-post-opinion": (
            lambda w: reverse("projects:evaluation-post-opinion", args=[w["draft"].pk, 1]),
            "object",
        ),
        "evaluation-file": (
            lambda w: reverse("projects:evaluation-file", args=[w["draft"].pk, "self", 1]),
            "object",
        ),
        "evaluation-random-checks": (lambda w: reverse("projects:evaluation-random-checks"), "list"),
        "evaluation-random-check": (
            lambda w: reverse("projects:evaluation-random-check", args=[999999]),
            "object",
        ),
        **{
            f"decommission-{name}": (
                lambda w, name=name: reverse(f"projects:decommission-{name}", args=[w["draft"].pk]),
                "object",
            )
            for name in ("plan", "data", "assets", "complete")
        },
        "decommission-filing": (
            lambda w: reverse("projects:decommission-filing", args=[w["draft"].pk, "data_bureau"]),
            "object",
        ),
        "decommission-flag": (
            lambda w: reverse("projects:decommission-flag", args=[w["draft"].pk, "zombie", "on"]),
            "object",
        ),
        "reminder-policy": (lambda w: reverse("projects:reminder-policy"), "list"),
        # no such deadline on the draft (404); walked in tests/projects/deadlines/test_pages_and_api.py
        "deadline-waive": (
            lambda w: reverse("projects:deadline-waive", args=[w["draft"].pk, 999999]),
            "object",
        ),
        # 催办 on the draft: a reviewer or admin gets the form; walked in tests/projects/nudges/test_nudges.py
        "nudge": (lambda w: reverse("projects:nudge", args=[w["draft"].pk]), "object"),
        # the header's overdue count and the home page itself (tests/projects/home/test_home.py)
        "overdue-count": (lambda w: reverse("projects:overdue-count"), "list"),
        "home": (lambda w: reverse("home"), "list"),
        # testland's measure reads no finding (404); walked on 莱州's in tests/projects/findings/test_pages.py
        "finding-record": (
            lambda w: reverse("projects:finding-record", args=[w["draft"].pk, "shares_data"]),
            "object",
        ),
        # 报告与档案: what can be printed, and a request; walked in tests/projects/reports/
        "report-offers": (lambda w: reverse("projects:report-offers", args=[w["draft"].pk]), "object"),
        "report-request": (lambda w: reverse("projects:report-request", args=[w["draft"].pk]), "object"),
        # 规则推演: whoever sees the project; walked in tests/projects/whatif/
        "what-if": (lambda w: reverse("projects:what-if", args=[w["draft"].pk]), "object"),
    }
)
# The rule packs (jurisdictions.editor, the `rules` namespace): a jurisdiction's pages ("tenant": another
# jurisdiction gets a 404, every member an answer); the draft's pages are its admins' (403 for the
# other roles); the comparison shows every measure (published law, no project in it). Walked in depth
# in tests/jurisdictions/editor/. The dashboard (the `dashboard` namespace) counts what one may see.
RULE_ID = "alpha.intake.declaration_documents"
PAGES.update(
    {
        "rules:index": (lambda w: reverse("rules:index"), "list"),
        "rules:compare": (lambda w: reverse("rules:compare"), "list"),
        **{
            f"rules:{name}": (lambda w, name=name: reverse(f"rules:{name}", args=["alpha"]), "tenant")
            for name in ("pack", "versions", "diff", "draft-start")
        },
        "rules:export": (lambda w: reverse("rules:export", args=["alpha", 1]), "tenant"),
        **{
            f"rules:{name}": (
                lambda w, name=name: reverse(f"rules:{name}", args=[w["pack_draft"].pk]),
                "tenant",
            )
            for name in ("draft", "yaml", "publish", "discard", "impact", "rule-add")
        },
        **{
            f"rules:{name}": (
                lambda w, name=name: reverse(f"rules:{name}", args=[w["pack_draft"].pk, RULE_ID]),
                "tenant",
            )
            for name in ("rule-edit", "rule-switch")
        },
        "rules:section": (lambda w: reverse("rules:section", args=[w["pack_draft"].pk, "measure"]), "tenant"),
        "dashboard:index": (lambda w: reverse("dashboard:index"), "list"),
    }
)
# The working-day calendar (jurisdictions.workdays, the `calendar` namespace): the jurisdiction admin's own
# calendar, a list of days (another jurisdiction's people see theirs, or a 403); walked in depth in
# tests/jurisdictions/workdays/test_pages.py.
PAGES.update(
    {
        "calendar:index": (lambda w: reverse("calendar:index"), "list"),
        **{
            f"calendar:{name}": (lambda w, name=name: reverse(f"calendar:{name}", args=[2027]), "list")
            for name in ("year", "toggle", "mark", "unmark")
        },
    }
)
ANSWERS = {200, 302, 400, 403, 404, 405, 409}  # whatever a person may be told, never a 500


def test_the_page_walk_covers_every_page():
    namespaces = get_resolver().namespace_dict
    pages = {name for name in namespaces["projects"][1].reverse_dict if isinstance(name, str)}
    pages |= {f"calendar:{name}" for name in namespaces["calendar"][1].reverse_dict if isinstance(name, str)}
    pages |= {"home"}  # the home page per role (govproj.views.home → projects.home)
    for namespace in ("rules", "dashboard"):
        pages |= {
            f"{namespace}:{name}" for name in namespaces[namespace][1].reverse_dict if isinstance(name, str)
        }
    assert pages == set(PAGES), f"walk these pages too: {sorted(pages - set(PAGES))}"


@pytest.fixture
def world(alpha, beta):
    staff, reviewer = alpha.users[Role.DEPARTMENT_STAFF], alpha.users[Role.REVIEWER]
    draft = make_project(alpha, title=TITLE, total_investment_wan=Decimal("250"))
    document = document_upload(
        actor=staff, project_id=draft.pk, code="proposal", file=SimpleUploadedFile("建议书.pdf", PDF)
    )
    declared = make_project(alpha, title="甲市已申报项目")
    services.transition_project(actor=staff, project_id=declared.pk, name="declare")
    plan = plans.plan_create(actor=reviewer, jurisdiction=alpha.jurisdiction, year=2027)
    return {
        "alpha": alpha,
        "beta": beta,
        "draft": draft,
        "declared": declared,
        "plan": plan,
        "document": document,
        "pack_draft": draft_open(actor=alpha.users[Role.JURISDICTION_ADMIN], code="alpha"),
    }


def client(user=None) -> Client:
    browser = Client()
    if user is not None:
        browser.force_login(user)
    return browser


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_visitor_is_sent_to_sign_in(world, page):
    url = PAGES[page][0](world)
    for method in ("get", "post"):
        response = getattr(client(), method)(url)
        assert response.status_code in (302, 405), (page, method, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), (page, method)


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", [Role.REVIEWER, Role.DEPARTMENT_STAFF, Role.JURISDICTION_ADMIN])
def test_another_jurisdiction_gets_404_or_sees_none_of_ours(world, page, role):
    url, kind = PAGES[page][0](world), PAGES[page][1]
    outsider = client(world["beta"].users[role])
    for method in ("get", "post"):
        response = getattr(outsider, method)(url)
        if kind in ("object", "tenant"):
            assert response.status_code in (404, 405), (page, method, response.status_code)
        else:
            assert response.status_code in ANSWERS, (page, method, response.status_code)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert TITLE.encode() not in body, (page, method)


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", [*Role.values, "other_staff"])
def test_every_role_of_the_jurisdiction_gets_an_answer(world, page, role):
    alpha = world["alpha"]
    user = alpha.other_staff if role == "other_staff" else alpha.users[role]
    url, kind = PAGES[page][0](world), PAGES[page][1]
    response = client(user).get(url)
    assert response.status_code in ANSWERS, (page, role, response.status_code)
    if role == "other_staff" and kind == "object" and "plan" not in page:
        assert response.status_code in (403, 404, 405), (page, response.status_code)  # not their department's
    if page in ("plan-detail", "plan-list", "intake-queue", "detail") and role == Role.REVIEWER:
        assert response.status_code == 200, (page, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", ["intake-queue", "plan-add", "plan-publish", "plan-emergency", "intake-reject"]
)
def test_department_staff_cannot_decide_what_reviewers_decide(world, page):
    staff = world["alpha"].users[Role.DEPARTMENT_STAFF]
    response = client(staff).post(PAGES[page][0](world), {"comment": "理由", "confirm": "on"})
    assert response.status_code in (403, 404, 405), (
        page,
        response.status_code,
    )  # a draft plan: not theirs to see
    world["declared"].refresh_from_db()
    assert world["declared"].phase == "declared"
