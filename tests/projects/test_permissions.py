"""Walks every API endpoint: anonymous refused, another jurisdiction 404, a role without the right 403.

`test_the_walk_covers_every_endpoint` fails when an endpoint is added without a row here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from jurisdictions.models import Role
from projects.documents.services import document_upload
from projects.models import Project
from projects.screening.services import screening_answer
from projects.services import transition_project
from security.models import Kind
from security.services import security_event_record
from tests.conftest import client_for, make_project

ALL_ROLES = frozenset(Role.values)
WIDE_ROLES = ALL_ROLES - {Role.DEPARTMENT_STAFF, Role.EXPERT}  # see every project of the jurisdiction
PROJECT_VIEWERS = WIDE_ROLES | {Role.DEPARTMENT_STAFF}  # experts see only projects granted to them
PLAN_HIDDEN = frozenset({Role.DEPARTMENT_STAFF, Role.EXPERT})  # a draft annual plan
ADMIN_ONLY = frozenset({Role.JURISDICTION_ADMIN})


@dataclass(frozen=True)
class Endpoint:
    name: str  # URL name in the `api` namespace (or top level)
    method: str
    path: str  # {project} and {code} are filled in
    allowed: frozenset  # roles of the owning jurisdiction that may call it
    body: dict | None = None
    hidden_from_others: bool = True  # another tenant gets 404 (False: a list that simply omits their rows)
    not_visible: frozenset = frozenset()  # roles for whom the object is not there at all (404, not 403)
    multipart: bool = False  # the body is a form with a file (a PDF under the "file" key)


ENDPOINTS = [
    Endpoint("api:api-root", "get", "/api/v1/", ALL_ROLES, hidden_from_others=False),
    Endpoint("api:jurisdiction-list", "get", "/api/v1/jurisdictions/", ALL_ROLES, hidden_from_others=False),
    Endpoint("api:jurisdiction-detail", "get", "/api/v1/jurisdictions/{code}/", ALL_ROLES),
    Endpoint("api:rulepack", "get", "/api/v1/jurisdictions/{code}/rulepack", ALL_ROLES),
    Endpoint("api:rulepacks", "get", "/api/v1/jurisdictions/{code}/rulepacks/", ALL_ROLES),
    Endpoint(
        "api:evaluate",
        "post",
        "/api/v1/jurisdictions/{code}/evaluate",
        ALL_ROLES,
        {"facts": {"total_investment_wan": 80}},
    ),
    Endpoint(
        "api:working-days",
        "get",
        "/api/v1/jurisdictions/{code}/working-days/?start=2026-09-30&days=1",
        ALL_ROLES,
    ),
    Endpoint("api:project-list", "get", "/api/v1/projects/", ALL_ROLES, hidden_from_others=False),
    Endpoint(
        "api:project-list",
        "post",
        "/api/v1/projects/",
        frozenset({Role.DEPARTMENT_STAFF}),
        {
            "department": "{department}",
            "title": "新系统",
            "category": "application",
            "total_investment_wan": "80.00",
            "funding_source": "fiscal",
            "year": 2026,
        },
        hidden_from_others=False,
    ),
    Endpoint(
        "api:project-detail",
        "get",
        "/api/v1/projects/{project}/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-detail",
        "patch",
        "/api/v1/projects/{project}/",
        frozenset({Role.DEPARTMENT_STAFF}),
        {"title": "改名"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-transitions",
        "get",
        "/api/v1/projects/{project}/transitions/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-transitions",
        "post",
        "/api/v1/projects/{project}/transitions/",
        frozenset({Role.DEPARTMENT_STAFF}),
        {"transition": "declare"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-events",
        "get",
        "/api/v1/projects/{project}/events/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-verdicts",
        "get",
        "/api/v1/projects/{project}/verdicts/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-document-list",
        "get",
        "/api/v1/projects/{project}/documents/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-document-list",
        "post",
        "/api/v1/projects/{project}/documents/",
        frozenset({Role.DEPARTMENT_STAFF}),
        {"code": "proposal", "note": ""},
        not_visible=frozenset({Role.EXPERT}),
        multipart=True,
    ),
    Endpoint(
        "api:project-document-checklist",
        "get",
        "/api/v1/projects/{project}/documents/checklist/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-document-download",
        "get",
        "/api/v1/projects/{project}/documents/{document}/download",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-document-reject",
        "post",
        "/api/v1/projects/{project}/documents/{document}/reject/",
        frozenset({Role.REVIEWER}),  # not whoever filed the project or uploaded the document
        {"reason": "签章缺失"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-similar",
        "get",
        "/api/v1/projects/{project}/similar/",
        frozenset({Role.REVIEWER, Role.DEPARTMENT_STAFF}),  # who files or reviews the project
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-duplicate-decision",
        "post",
        "/api/v1/projects/{project}/duplicate-decision/",
        frozenset({Role.REVIEWER}),  # not whoever filed the project
        {"verdict": "not_duplicate", "comment": ""},
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-screening",
        "get",
        "/api/v1/projects/{project}/screening/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-screening",
        "put",
        "/api/v1/projects/{project}/screening/",
        frozenset({Role.DEPARTMENT_STAFF}),
        {"answers": {"duplicate": {"applies": False, "explanation": ""}}},
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-screening-review",
        "post",
        "/api/v1/projects/{project}/screening/review/",  # the project answered and declared first
        frozenset({Role.REVIEWER}),  # not whoever filed the project
        {"decisions": {"duplicate": {"decision": "confirm", "comment": ""}}},
        not_visible=frozenset({Role.EXPERT}),
    ),
    # The reviewer's intake queue: reviewers only; another jurisdiction's reviewer sees none of its rows.
    Endpoint(
        "api:intake-queue",
        "get",
        "/api/v1/intake/queue/",
        frozenset({Role.REVIEWER}),
        hidden_from_others=False,
    ),
    # The inbox (待办/已办) and batch decisions: anyone signed in gets their own (empty for most roles);
    # a batch re-checks each item, so a role without the right gets per-item refusals, not a 403.
    Endpoint(
        "api:project-stages",
        "get",
        "/api/v1/projects/{project}/stages/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    # Testland has no approval stages: no stage to act on (tests/approvals/stages/test_api.py: a staged pack).
    *(
        Endpoint(
            f"api:project-stage-{action}",
            "post",
            f"/api/v1/projects/{{project}}/stages/fsr/{action}/",
            frozenset(),
            {"reason": "理由"},
            not_visible=frozenset(Role.values),
        )
        for action in ("submit", "withdraw", "pass-review", "approve", "file", "return", "reject")
    ),
    # Review steps: testland has none (an empty list; 404 for every step action and assignment);
    # tests/approvals/reviews/test_api.py walks the staged pack's.
    Endpoint(
        "api:project-reviews",
        "get",
        "/api/v1/projects/{project}/reviews/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    *(
        Endpoint(
            name,
            "post",
            f"/api/v1/projects/{{project}}/reviews/{suffix}",
            frozenset(),
            {
                "comment": "理由",
                "outcome": "fail",
                "expert": 1,
                "opinion": "agree",
                "no_conflict": True,
                "organisation": "某机构",
                "conclusion": "agree",
            },
            not_visible=frozenset(Role.values),
        )
        for name, suffix in (
            ("api:project-review-organise", "pre_review/organise/"),
            ("api:project-review-decide", "pre_review/decide/"),
            ("api:project-review-reopen", "pre_review/reopen/"),
            ("api:project-review-assign", "pre_review/experts/"),
            ("api:project-review-third-party", "pre_review/third-party/"),
            ("api:project-review-withdraw", "assignments/999999/withdraw/"),
            ("api:project-review-opinion", "assignments/999999/opinion/"),
        )
    ),
    # Testland asks for no department opinions: there are none to list or act on (404 for everyone;
    # tests/approvals/opinions/test_api.py walks the staged pack's).
    *(
        Endpoint(
            name,
            method,
            f"/api/v1/projects/{{project}}/opinions/{suffix}",
            frozenset(),
            {"reason": "理由", "answer": "agree", "department": 1, "role": "reviewer"},
            not_visible=frozenset(Role.values),
        )
        for name, method, suffix in (
            ("api:project-opinions", "get", ""),
            ("api:project-opinions-request", "post", "request/"),
            ("api:project-opinions-rerequest", "post", "rerequest/"),
            ("api:project-opinions-signer", "post", "signers/"),
            ("api:project-opinion-answer", "post", "999999/answer/"),
        )
    ),
    # Trial run and acceptance (acceptance.completion): the walk puts the project where the allowed
    # role's call succeeds (tests/acceptance/completion/helpers.py); testland has no checks before
    # acceptance, no delay rule and no standard (404 for everyone: tests/acceptance/completion walk them).
    Endpoint(
        "api:project-acceptance",
        "get",
        "/api/v1/projects/{project}/acceptance/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-acceptance-trial-run",
        "post",
        "/api/v1/projects/{project}/acceptance/trial-run/",
        frozenset({Role.DEPARTMENT_STAFF}),
        {"completion_date": "2026-01-02", "start_date": "2026-01-03"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-acceptance-apply",
        "post",
        "/api/v1/projects/{project}/acceptance/apply/",
        frozenset({Role.DEPARTMENT_STAFF}),
        {"comment": "申请验收"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-acceptance-decide",
        "post",
        "/api/v1/projects/{project}/acceptance/decide/",
        frozenset({Role.REVIEWER}),
        {"passed": True, "decision_date": "{today}"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    *(
        Endpoint(
            name,
            "post",
            f"/api/v1/projects/{{project}}/acceptance/{suffix}",
            frozenset(),
            {
                "reason": "理由",
                "requested_date": "2030-01-01",
                "granted": True,
                "granted_date": "2030-01-01",
                "passed": True,
                "stable_date": "2026-01-01",
                "decision_date": "2026-01-01",
                "published_date": "2026-01-01",
                "name": "标准",
            },
            not_visible=frozenset(Role.values),
        )
        for name, suffix in (
            ("api:project-acceptance-stable", "trial-run/stable/"),
            ("api:project-acceptance-check-request", "checks/pre_acceptance/request/"),
            ("api:project-acceptance-check-decide", "checks/archive/decide/"),
            ("api:project-acceptance-delay", "delays/"),
            ("api:project-acceptance-delay-decide", "delays/1/decide/"),
            ("api:project-acceptance-standard", "standard/"),
        )
    ),
    # Construction records (projects.construction): the walk puts the project in construction
    # (tests/projects/construction/helpers.py); no incident exists, so its actions are 404 for everyone
    # (tests/projects/construction/test_api.py walks them with their records).
    Endpoint(
        "api:construction",
        "get",
        "/api/v1/projects/{project}/construction/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    *(
        Endpoint(
            name,
            "post",
            f"/api/v1/projects/{{project}}/construction/{suffix}",
            frozenset({Role.DEPARTMENT_STAFF}),
            body,
            not_visible=frozenset({Role.EXPERT}),
        )
        for name, suffix, body in (
            (
                "api:construction-supervision",
                "supervision/",
                {"company": "监理公司", "contract_number": "JL-1", "contract_date": "2026-01-05"},
            ),
            (
                "api:construction-procurement",
                "procurement/",
                {"started_on": "2026-01-05", "method": "inquiry"},
            ),
            (
                "api:construction-reports",
                "reports/",
                {"year": timezone.localdate().year, "progress": "进展", "investment": "投资"},
            ),
            (
                "api:construction-incidents",
                "incidents/",
                {"kind": "serious_delay", "happened": "逾期", "impact": "影响", "measures": "措施"},
            ),
        )
    ),
    *(
        Endpoint(
            f"api:construction-incident-{action}",
            "post",
            f"/api/v1/projects/{{project}}/construction/incidents/999999/{action}/",
            frozenset(),
            {"reason": "理由", "summary": "完成", "due_date": "2030-01-01"},
            not_visible=frozenset(Role.values),
        )
        for action in ("rectify", "suspend", "report-done", "confirm", "return")
    ),
    # Change requests and final accounts (budgets.changes): the walk puts the project in trial operation with
    # an approved estimate and the request each call needs (tests/budgets/changes/helpers.py).
    Endpoint(
        "api:project-changes",
        "get",
        "/api/v1/projects/{project}/changes/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-changes",
        "post",
        "/api/v1/projects/{project}/changes/",
        frozenset({Role.DEPARTMENT_STAFF}),
        {"content": "调整内容", "increases_wan": "10", "reason": "business_need"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-change-preview",
        "post",
        "/api/v1/projects/{project}/changes/preview/",
        PROJECT_VIEWERS,
        {"content": "调整内容", "increases_wan": "10", "reason": "business_need"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-change-detail",
        "get",
        "/api/v1/projects/{project}/changes/{change}/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-change-detail",
        "put",
        "/api/v1/projects/{project}/changes/{change}/",
        frozenset({Role.DEPARTMENT_STAFF}),
        {"content": "调整内容", "decreases_wan": "10", "reason": "business_need"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    *(
        Endpoint(
            f"api:project-change-{action}",
            "post",
            f"/api/v1/projects/{{project}}/changes/{{change}}/{action}/",
            frozenset({role}),
            body,
            not_visible=frozenset({Role.EXPERT}),
        )
        for action, role, body in (
            ("submit", Role.DEPARTMENT_STAFF, {"comment": "提交"}),
            ("withdraw", Role.DEPARTMENT_STAFF, {"comment": "撤回"}),
            (
                "approve",
                Role.REVIEWER,
                {"document_number": "测批〔2026〕1号", "decision_date": "{today}", "amount_wan": "155"},
            ),
            ("return", Role.REVIEWER, {"reason": "理由"}),
            ("reject", Role.REVIEWER, {"reason": "理由"}),
            ("acknowledge", Role.REVIEWER, {"comment": "已知悉"}),
            ("new-project", Role.DEPARTMENT_STAFF, {"x": "1"}),
        )
    ),
    Endpoint(
        "api:project-final-account",
        "put",
        "/api/v1/projects/{project}/changes/accounts/",
        frozenset({Role.DEPARTMENT_STAFF}),
        {"actual_spend_wan": "120"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-surplus-return",
        "post",
        "/api/v1/projects/{project}/changes/accounts/return/",
        frozenset({Role.FINANCE_OFFICER}),
        {"returned_on": "{today}", "reference": "退库凭证1号"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    # O&M funding (budgets.om): the department drafts an application on its project; testland's project has
    # none to read or act on (tests/budgets/om/test_api.py walks them on the 莱州 pack); the finance queue.
    Endpoint(
        "api:project-om",
        "get",
        "/api/v1/projects/{project}/om/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-om",
        "post",
        "/api/v1/projects/{project}/om/",
        frozenset({Role.DEPARTMENT_STAFF}),
        {"year": 2027, "amount_wan": "50", "term_years": "1"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    *(
        Endpoint(
            name,
            method,
            f"/api/v1/projects/{{project}}/om/999999/{suffix}",
            frozenset(),
            {"decision": "refuse", "reason": "理由"},
            not_visible=frozenset(Role.values),
        )
        for name, method, suffix in (
            ("api:project-om-detail", "get", ""),
            ("api:project-om-submit", "post", "submit/"),
            ("api:project-om-withdraw", "post", "withdraw/"),
            ("api:project-om-decide", "post", "decide/"),
        )
    ),
    Endpoint(
        "api:om-queue",
        "get",
        "/api/v1/om/applications/",
        frozenset({Role.FINANCE_OFFICER}),
        hidden_from_others=False,
    ),
    Endpoint("api:inbox", "get", "/api/v1/inbox/", ALL_ROLES, hidden_from_others=False),
    # Notifications (projects.notifications): each reads and marks only their own; the walk's one is the
    # department staff's, so it is not there for anyone else (404).
    Endpoint("api:notification-list", "get", "/api/v1/notifications/", ALL_ROLES, hidden_from_others=False),
    Endpoint(
        "api:notification-read-all",
        "post",
        "/api/v1/notifications/read-all/",
        ALL_ROLES,
        hidden_from_others=False,
    ),
    Endpoint(
        "api:notification-preferences",
        "get",
        "/api/v1/notifications/preferences/",
        ALL_ROLES,
        hidden_from_others=False,
    ),
    Endpoint(
        "api:notification-preferences",
        "put",
        "/api/v1/notifications/preferences/",
        ALL_ROLES,
        {"email_mode": "digest"},
        hidden_from_others=False,
    ),
    Endpoint(
        "api:notification-read",
        "post",
        "/api/v1/notifications/{notification}/read/",
        frozenset({Role.DEPARTMENT_STAFF}),
        not_visible=ALL_ROLES - {Role.DEPARTMENT_STAFF},
    ),
    Endpoint(
        "api:inbox-batch",
        "post",
        "/api/v1/inbox/batch/",
        ALL_ROLES,
        {"kind": "intake", "keys": ["{project}"], "action": "approve"},
        hidden_from_others=False,
    ),
    # Delegations (代理审批): each sees their own; one from the reviewer to the finance officer is ended
    # by its delegator or the jurisdiction admin; the delegate is refused; nobody else sees it.
    Endpoint("api:delegation-list", "get", "/api/v1/delegations/", ALL_ROLES, hidden_from_others=False),
    Endpoint(
        "api:delegation-end",
        "post",
        "/api/v1/delegations/{delegation}/end/",
        frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN}),
        not_visible=ALL_ROLES - {Role.REVIEWER, Role.JURISDICTION_ADMIN, Role.FINANCE_OFFICER},
    ),
    # The list as a workbook: every role may export what it may see (another tenant's rows left out).
    Endpoint(
        "api:project-export", "get", "/api/v1/projects/export.xlsx", ALL_ROLES, hidden_from_others=False
    ),
    # The annual plan: a reviewer compiles and publishes it; wide roles read drafts, staff only
    # published plans (the walk's plan is a draft, so for staff it is not there).
    Endpoint("api:plan-list", "get", "/api/v1/plans/", ALL_ROLES, hidden_from_others=False),
    Endpoint(
        "api:plan-list",
        "post",
        "/api/v1/plans/",
        frozenset({Role.REVIEWER}),
        {"jurisdiction": "{code}", "year": 2028},
        hidden_from_others=False,
    ),
    Endpoint("api:plan-detail", "get", "/api/v1/plans/{plan}/", WIDE_ROLES, not_visible=PLAN_HIDDEN),
    Endpoint(
        "api:plan-entries",
        "post",
        "/api/v1/plans/{plan}/entries/",
        frozenset({Role.REVIEWER}),
        {"project": "{project}"},
        not_visible=PLAN_HIDDEN,
    ),
    Endpoint(
        "api:plan-entry",
        "delete",
        "/api/v1/plans/{plan}/entries/{project}/",
        frozenset({Role.REVIEWER}),
        not_visible=PLAN_HIDDEN,
    ),
    Endpoint(
        "api:plan-publish",
        "post",
        "/api/v1/plans/{plan}/publish/",
        frozenset({Role.REVIEWER}),
        not_visible=PLAN_HIDDEN,
    ),
    Endpoint(
        "api:plan-revise",
        "post",
        "/api/v1/plans/{plan}/revise/",  # published first
        frozenset({Role.REVIEWER}),
        not_visible=frozenset({Role.EXPERT}),  # published: staff read it, 403 to change it
    ),
    Endpoint(
        "api:plan-emergency",
        "post",
        "/api/v1/plans/{plan}/emergency/",  # published first, under a pack with an emergency article
        frozenset({Role.REVIEWER}),
        {
            "project": "{project}",
            "approved_by": "区政府",
            "approval_document_no": "测政函〔2027〕1号",
            "approval_date": "2026-01-05",
        },
        not_visible=frozenset({Role.EXPERT}),  # published: staff read it, 403 to change it
    ),
    Endpoint("api:logout", "post", "/api/v1/auth/logout/", ALL_ROLES, hidden_from_others=False),
    Endpoint("api:token-list", "get", "/api/v1/auth/tokens/", ALL_ROLES, hidden_from_others=False),
    Endpoint(
        "api:token-detail",
        "delete",
        "/api/v1/auth/tokens/{token}/",  # a token of the jurisdiction's department staff
        frozenset({Role.DEPARTMENT_STAFF, Role.JURISDICTION_ADMIN}),  # its owner and their admin
        not_visible=ALL_ROLES - {Role.DEPARTMENT_STAFF, Role.JURISDICTION_ADMIN},
    ),
    # The security log: readers only; a non-reader of any jurisdiction gets 403 whatever the id, and a
    # reader of another jurisdiction 404 (tests/security/test_security_log.py).
    Endpoint(
        "api:security-event-list",
        "get",
        "/api/v1/security-events/",
        frozenset({Role.AUDITOR, Role.JURISDICTION_ADMIN}),
        hidden_from_others=False,
    ),
    Endpoint(
        "api:security-event-detail",
        "get",
        "/api/v1/security-events/{event}/",
        frozenset({Role.AUDITOR, Role.JURISDICTION_ADMIN}),
        hidden_from_others=False,
    ),
    # Evaluation (acceptance.evaluation): walk_setup puts the project in operation with what each step needs.
    Endpoint(
        "api:project-evaluation",
        "get",
        "/api/v1/projects/{project}/evaluation/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    *(
        Endpoint(
            name,
            "post",
            f"/api/v1/projects/{{project}}/evaluation/{suffix}",
            allowed,
            body,
            not_visible=hidden,
        )
        for name, suffix, allowed, body, hidden in (
            (
                "api:project-evaluation-self",
                "self/",
                frozenset({Role.DEPARTMENT_STAFF}),
                {"rating": "good", "summary": "运行良好"},
                frozenset({Role.EXPERT}),
            ),
            (
                "api:project-evaluation-post-organise",
                "post/",
                frozenset({Role.REVIEWER}),
                {"method": "experts"},
                frozenset({Role.EXPERT}),
            ),
            (
                "api:project-evaluation-post-assign",
                "post/experts/",
                frozenset({Role.REVIEWER}),
                {"expert": "{expert}"},
                frozenset({Role.EXPERT}),
            ),
            (
                "api:project-evaluation-post-opinion",  # the assigned expert sees the project (a grant)
                "post/experts/{assignment}/opinion/",
                frozenset({Role.EXPERT}),
                {"no_conflict": True, "rating": "good", "opinion": "良好"},
                frozenset(),
            ),
            (
                "api:project-evaluation-post-third-party",
                "post/third-party/",
                frozenset({Role.REVIEWER}),
                {"organisation": "某评估机构", "rating": "good"},
                frozenset({Role.EXPERT}),
            ),
            (
                "api:project-evaluation-post-conclude",  # an assigned expert sees it, may not conclude
                "post/conclude/",
                frozenset({Role.REVIEWER}),
                {"rating": "good", "conclusion": "良好"},
                frozenset(),
            ),
        )
    ),
    # Random checks: testland's measure has none (404 for everyone); tests/acceptance/evaluation/test_api.py
    # walks 莱州's.
    Endpoint(
        "api:evaluation-random-checks",
        "get",
        "/api/v1/evaluation/random-checks/{code}/2026/",
        frozenset(),
        not_visible=frozenset(Role.values),
    ),
    Endpoint(
        "api:evaluation-random-checks",
        "post",
        "/api/v1/evaluation/random-checks/{code}/2026/",
        frozenset(),
        {"count": 1},
        not_visible=frozenset(Role.values),
    ),
    Endpoint(
        "api:evaluation-random-check-result",
        "post",
        "/api/v1/evaluation/random-checks/draws/999999/results/",
        frozenset(),
        {"project": 1, "rating": "good", "finding": "x"},
        not_visible=frozenset(Role.values),
    ),
    # Decommissioning (projects.decommission): the project in operation; the stop plan first where needed.
    Endpoint(
        "api:project-decommission",
        "get",
        "/api/v1/projects/{project}/decommission/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    *(
        Endpoint(
            name,
            "post",
            f"/api/v1/projects/{{project}}/decommission/{suffix}",
            allowed,
            body,
            not_visible=frozenset({Role.EXPERT}),
        )
        for name, suffix, allowed, body in (
            (
                "api:project-decommission-plan",
                "plan/",
                frozenset({Role.DEPARTMENT_STAFF, Role.REVIEWER, Role.JURISDICTION_ADMIN}),
                {"reason": "无使用价值", "planned_stop_on": "2026-01-01"},
            ),
            (
                "api:project-decommission-data",
                "data/",
                frozenset({Role.DEPARTMENT_STAFF, Role.REVIEWER, Role.JURISDICTION_ADMIN}),
                {
                    "data_kind": "业务数据",
                    "action": "destroy",
                    "done_by": "运维公司",
                    "done_on": "2026-01-02",
                    "verification": "监督销毁",
                },
            ),
            (
                "api:project-decommission-assets",
                "assets/",
                frozenset({Role.DEPARTMENT_STAFF, Role.REVIEWER, Role.JURISDICTION_ADMIN}),
                {"disposal": "服务器报废"},
            ),
            (
                "api:project-decommission-filing",
                "filing/",
                frozenset({Role.FINANCE_OFFICER, Role.REVIEWER, Role.JURISDICTION_ADMIN}),
                {"body": "finance", "reference": "财备1"},
            ),
            (
                "api:project-decommission-complete",
                "complete/",
                frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN}),
                {"comment": "停用"},
            ),
            (
                "api:project-decommission-flag",
                "flag/",
                frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN}),
                {"flag": "zombie", "on": True, "reason": "长期无人使用"},
            ),
        )
    ),
    # Stored deadlines (projects.deadlines): the list; waiving one of the project's (set up in _call).
    Endpoint(
        "api:project-deadlines",
        "get",
        "/api/v1/projects/{project}/deadlines/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-deadline-waive",
        "post",
        "/api/v1/projects/{project}/deadlines/{deadline}/waive/",
        frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN}),
        {"reason": "项目暂停建设"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint("api:reminder-policy", "get", "/api/v1/jurisdictions/{code}/reminders/", ALL_ROLES),
    Endpoint(
        "api:reminder-policy",
        "put",
        "/api/v1/jurisdictions/{code}/reminders/",
        frozenset({Role.JURISDICTION_ADMIN}),
        {"lead_days": [5, 2, 0], "overdue_every": 5, "escalate_after": 10},
    ),
    # 催办 (projects.nudges): the project's nudges; a reviewer or the admin nudges its department.
    Endpoint(
        "api:project-nudges",
        "get",
        "/api/v1/projects/{project}/nudges/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-nudges",
        "post",
        "/api/v1/projects/{project}/nudges/",
        frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN}),
        {"message": "请尽快补充申报材料"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    # Reports (projects.reports): what one sees and may print; the dossier is the auditors', reviewers'
    # and admin's; a report of the project (set up in _call) is read, downloaded, retried when failed.
    Endpoint("api:report-list", "get", "/api/v1/reports/", ALL_ROLES, hidden_from_others=False),
    Endpoint(
        "api:report-list",
        "post",
        "/api/v1/reports/",
        frozenset({Role.AUDITOR, Role.REVIEWER, Role.JURISDICTION_ADMIN}),
        {"kind": "dossier", "project": "{project}"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-printable",
        "get",
        "/api/v1/projects/{project}/reports/printable/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    *(
        Endpoint(name, method, path, PROJECT_VIEWERS, not_visible=frozenset({Role.EXPERT}))
        for name, method, path in (
            ("api:report-detail", "get", "/api/v1/reports/{report}/"),
            ("api:report-file", "get", "/api/v1/reports/{report}/file/"),
            ("api:report-retry", "post", "/api/v1/reports/{report}/retry/"),
        )
    ),
    # Findings (projects.findings): the project in operation on a measure that reads them.
    Endpoint(
        "api:project-findings",
        "get",
        "/api/v1/projects/{project}/findings/",
        PROJECT_VIEWERS,
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint(
        "api:project-findings",
        "post",
        "/api/v1/projects/{project}/findings/",
        frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN}),
        {"fact": "major_security_hazard", "value": True, "reason": "等保测评发现高危漏洞"},
        not_visible=frozenset({Role.EXPERT}),
    ),
    # The working-day calendar (jurisdictions.workdays): the jurisdiction admin's own.
    Endpoint(
        "api:calendar-year",
        "get",
        "/api/v1/jurisdictions/{code}/calendar/2027/",
        frozenset({Role.JURISDICTION_ADMIN}),
    ),
    Endpoint(
        "api:calendar-toggle",
        "post",
        "/api/v1/jurisdictions/{code}/calendar/2027/toggle/",
        frozenset({Role.JURISDICTION_ADMIN}),
        {"date": "2027-01-01", "name": "元旦"},
    ),
    Endpoint(
        "api:calendar-complete",
        "post",
        "/api/v1/jurisdictions/{code}/calendar/2027/complete/",
        frozenset({Role.JURISDICTION_ADMIN}),
        {"complete": True},
    ),
    # 统计看板: every member gets the sections of their roles (an expert none); counts cover only their own
    Endpoint("api:dashboard", "get", "/api/v1/dashboard/", ALL_ROLES, hidden_from_others=False),
    # The rule-pack editor (jurisdictions.editor): drafts are the jurisdiction admin's; a published
    # version's export is every member's. A draft of the tenant is opened in _call ({draft}).
    Endpoint("api:rulepack-draft-open", "get", "/api/v1/jurisdictions/{code}/draft/", ADMIN_ONLY),
    Endpoint("api:rulepack-draft-open", "post", "/api/v1/jurisdictions/{code}/draft/", ADMIN_ONLY, {}),
    Endpoint("api:rulepack-draft", "get", "/api/v1/rulepack-drafts/{draft}/", ADMIN_ONLY),
    Endpoint(
        "api:rulepack-draft-rules",
        "post",
        "/api/v1/rulepack-drafts/{draft}/rules/",
        ADMIN_ONLY,
        {"revision": "{revision}", "rule": "{rule}"},
    ),
    Endpoint(
        "api:rulepack-draft-rule",
        "put",
        "/api/v1/rulepack-drafts/{draft}/rules/{code}.construction.supervision/",
        ADMIN_ONLY,
        {"revision": "{revision}", "rule": "{rule}"},
    ),
    Endpoint(
        "api:rulepack-draft-rule-switch",
        "post",
        "/api/v1/rulepack-drafts/{draft}/rules/{code}.construction.supervision/switch/",
        ADMIN_ONLY,
        {"revision": "{revision}", "off": True, "reason": "另行规定"},
    ),
    Endpoint(
        "api:rulepack-draft-section",
        "put",
        "/api/v1/rulepack-drafts/{draft}/sections/settings/",
        ADMIN_ONLY,
        {"revision": "{revision}", "value": {"walk": 1}},
    ),
    Endpoint("api:rulepack-draft-yaml", "get", "/api/v1/rulepack-drafts/{draft}/yaml/", ADMIN_ONLY),
    Endpoint(
        "api:rulepack-draft-publish",
        "post",
        "/api/v1/rulepack-drafts/{draft}/publish/",
        ADMIN_ONLY,
        {"revision": "{revision}", "effective_from": "{next_month}", "note": "监理门槛调整"},
    ),
    Endpoint(
        "api:rulepack-draft-discard",
        "post",
        "/api/v1/rulepack-drafts/{draft}/discard/",
        ADMIN_ONLY,
        {"revision": "{revision}", "reason": "方向有变"},
    ),
    Endpoint("api:rulepack-export", "get", "/api/v1/jurisdictions/{code}/rulepacks/1/export/", ALL_ROLES),
    # A draft's impact is its admins'; the diff of two versions every member's; the comparison of the
    # measures everyone's (public law: no project in it).
    Endpoint("api:rulepack-draft-impact", "get", "/api/v1/rulepack-drafts/{draft}/impact/", ADMIN_ONLY),
    Endpoint("api:rulepack-diff", "get", "/api/v1/jurisdictions/{code}/rulepacks/diff/", ALL_ROLES),
    Endpoint(
        "api:rulepack-compare", "get", "/api/v1/rulepacks/compare/", ALL_ROLES, hidden_from_others=False
    ),
    Endpoint(
        "api:project-what-if",
        "post",
        "/api/v1/projects/{project}/what-if/",
        PROJECT_VIEWERS,
        {"facts": {"total_investment_wan": 80}},
        not_visible=frozenset({Role.EXPERT}),
    ),
    Endpoint("schema", "get", "/api/schema/", ALL_ROLES, hidden_from_others=False),
    Endpoint("api-docs", "get", "/api/docs/", ALL_ROLES, hidden_from_others=False),
]
# Public on purpose: exchanging a username and password for a token is how a client logs in.
PUBLIC = {"api:token"}


def _names(patterns, prefix="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _names(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_the_walk_covers_every_endpoint():
    api_names = {name for name in _names(get_resolver().url_patterns) if name.startswith("api:")}
    api_names |= {"schema", "api-docs"}
    covered = {endpoint.name for endpoint in ENDPOINTS} | PUBLIC
    assert api_names - covered == set(), "add these endpoints to the permission walk"


def _call(client: APIClient, endpoint: Endpoint, tenant, project):
    token = ""
    if "{token}" in endpoint.path:
        token = AuthToken.objects.create(user=tenant.users[Role.DEPARTMENT_STAFF])[0].token_key
    event = ""
    if "{event}" in endpoint.path:
        event = security_event_record(
            kind=Kind.ADMIN_CHANGED,
            actor=tenant.users[Role.JURISDICTION_ADMIN],
            jurisdiction=tenant.jurisdiction,
        ).pk
    document = ""
    if "{document}" in endpoint.path:  # a document the department uploaded to the tenant's project
        document = document_upload(
            actor=tenant.users[Role.DEPARTMENT_STAFF],
            project_id=project.pk,
            code="proposal",
            file=SimpleUploadedFile("项目建议书.pdf", WALK_PDF),
        ).pk
    if (
        endpoint.name == "api:project-screening-review"
        and Project.objects.get(pk=project.pk).phase == "draft"
    ):
        staff = tenant.users[Role.DEPARTMENT_STAFF]  # the department answers and declares; a reviewer decides
        screening_answer(actor=staff, project_id=project.pk, answers={"duplicate": {"applies": False}})
        transition_project(actor=staff, project_id=project.pk, name="declare")
    if endpoint.name.startswith("api:construction") and endpoint.method == "post":
        from tests.projects.construction.helpers import construction_for_walk

        construction_for_walk(tenant, project)
    if endpoint.name.startswith("api:project-acceptance-") and endpoint.method == "post":
        from tests.acceptance.completion.helpers import acceptance_for_walk

        acceptance_for_walk(endpoint.name, tenant, project)
    change = ""
    if endpoint.name.startswith(("api:project-change", "api:project-final-account", "api:project-surplus")):
        from tests.budgets.changes.helpers import change_for_walk

        change = change_for_walk(endpoint.name, tenant, project)
    walk = {}  # evaluation and decommissioning: the project in operation, with what the endpoint needs first
    if (
        endpoint.name.startswith(("api:project-evaluation", "api:project-decommission"))
        and endpoint.method == "post"
    ):
        from tests.acceptance.evaluation.helpers import walk_setup

        walk = walk_setup(endpoint.name, tenant, project)
    deadline = ""
    if "{draft}" in endpoint.path or (endpoint.name, endpoint.method) == ("api:rulepack-draft-open", "get"):
        from tests.jurisdictions.editor.test_api import draft_for_walk

        walk = draft_for_walk(endpoint.name, tenant)
    if "{deadline}" in endpoint.path:
        from tests.projects.deadlines.helpers import deadline_for_walk

        deadline = deadline_for_walk(tenant, project).pk
    if endpoint.name == "api:project-findings" and endpoint.method == "post":
        from tests.projects.findings.helpers import findings_for_walk

        findings_for_walk(tenant, project)
    plan = _walk_plan(endpoint, tenant, project) if "{plan}" in endpoint.path else ""
    delegation = ""
    if "{delegation}" in endpoint.path:
        from tests.approvals.delegation.helpers import delegation_for_walk

        delegation = delegation_for_walk(tenant).pk
    notification = ""
    if "{notification}" in endpoint.path:
        from tests.projects.notifications.helpers import notification_for_walk

        notification = notification_for_walk(tenant).pk
    report = ""
    if "{report}" in endpoint.path:
        from tests.projects.reports.helpers import report_for_walk

        report = report_for_walk(endpoint.name, tenant, project).pk
    path = endpoint.path.format(
        code=tenant.jurisdiction.code,
        report=report,
        project=project.pk,
        token=token,
        event=event,
        document=document,
        plan=plan,
        delegation=delegation,
        notification=notification,
        change=change,
        deadline=deadline,
        assignment=walk.get("assignment", ""),
        draft=walk.get("draft", ""),
    )
    body = None
    if endpoint.body is not None:
        fill = {
            "{department}": tenant.department.pk,
            "{project}": project.pk,
            "{code}": tenant.jurisdiction.code,
            "{today}": str(timezone.localdate()),
            "{expert}": walk.get("expert", ""),
            "{revision}": walk.get("revision", ""),
            "{rule}": walk.get("rule", ""),
            "{next_month}": str((timezone.localdate().replace(day=1) + dt.timedelta(days=32)).replace(day=1)),
        }
        body = {k: fill.get(v, v) if isinstance(v, str) else v for k, v in endpoint.body.items()}
    if endpoint.multipart:
        body["file"] = SimpleUploadedFile("项目建议书.pdf", WALK_PDF)
        return getattr(client, endpoint.method)(path, body, format="multipart")
    return (
        getattr(client, endpoint.method)(path, body, format="json")
        if body
        else getattr(client, endpoint.method)(path)
    )


WALK_PDF = b"%PDF-1.4\n%walk\n%%EOF\n"


def _walk_plan(endpoint: Endpoint, tenant, project) -> int:
    """The tenant's 2027 plan, set up so that the endpoint's call succeeds for a reviewer."""
    from jurisdictions.rules.schema import load_pack_text
    from jurisdictions.services import publish_rule_pack
    from projects.plans import services as plans
    from tests.conftest import testland_text

    def in_library(p):
        pack = tenant.jurisdiction.rule_packs.first()
        Project.objects.filter(pk=p.pk).update(phase="in_library", rule_pack=pack)

    reviewer = tenant.users[Role.REVIEWER]
    plan = plans.plan_create(actor=reviewer, jurisdiction=tenant.jurisdiction, year=2027)
    in_library(project)
    member = project
    if endpoint.name == "api:plan-emergency":
        code = tenant.jurisdiction.code
        text = testland_text(code).replace(
            "\nrules:\n",
            f"\nsettings:\n  emergency_addition:\n    rule: {code}.intake.negative_list\n"
            "    approver: {zh: 区政府, en: the district government}\nrules:\n",
        )
        spec, content = load_pack_text(text, source="walk-emergency")
        publish_rule_pack(spec, content, source="walk-emergency")
        member = make_project(tenant, facts={})
        in_library(member)
    if endpoint.name != "api:plan-entries":
        plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=member.pk)
    if endpoint.name in ("api:plan-revise", "api:plan-emergency"):
        plans.plan_publish(actor=reviewer, plan_id=plan.pk)
    return plan.pk


IDS = [f"{e.method.upper()} {e.path}" for e in ENDPOINTS]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_anonymous_is_refused(alpha, endpoint):
    project = make_project(alpha)
    response = _call(APIClient(), endpoint, alpha, project)
    assert response.status_code == 401, response.content


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
@pytest.mark.parametrize("role", Role.values)
def test_each_role_of_the_jurisdiction(alpha, endpoint, role):
    project = make_project(alpha)
    response = _call(client_for(alpha.users[role]), endpoint, alpha, project)
    if role in endpoint.not_visible:
        assert response.status_code == 404, response.content
    elif role in endpoint.allowed:
        assert response.status_code in (200, 201, 204), response.content
    else:
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(
    "endpoint",
    [e for e in ENDPOINTS if e.hidden_from_others],
    ids=[i for e, i in zip(ENDPOINTS, IDS, strict=True) if e.hidden_from_others],
)
@pytest.mark.parametrize("role", Role.values)
def test_another_jurisdiction_gets_404(alpha, beta, endpoint, role):
    project = make_project(alpha)
    response = _call(client_for(beta.users[role]), endpoint, alpha, project)
    assert response.status_code == 404, response.content
    # The answer is the same as for something that does not exist at all.
    missing = Endpoint(
        endpoint.name,
        endpoint.method,
        endpoint.path.replace("{code}", "nowhere")
        .replace("{project}", "999999")
        .replace("{token}", "0123abcd")
        .replace("{document}", "999999")
        .replace("{plan}", "999999")
        .replace("{delegation}", "999999")
        .replace("{notification}", "999999")
        .replace("{deadline}", "999999")
        .replace("{report}", "999999")
        .replace("{draft}", "999999"),
        endpoint.allowed,
        endpoint.body,
    )
    assert (
        _call(client_for(beta.users[role]), missing, alpha, project).json()["code"] == response.json()["code"]
    )


@pytest.mark.parametrize("role", Role.values)
def test_lists_omit_another_jurisdiction(alpha, beta, role):
    make_project(alpha)
    client = client_for(beta.users[role])
    assert "alpha" not in [j["code"] for j in client.get("/api/v1/jurisdictions/").json()]
    assert all(p["jurisdiction"] == "beta" for p in client.get("/api/v1/projects/").json()["results"])


def test_create_with_another_jurisdictions_department_is_refused_like_a_missing_one(alpha, beta):
    client = client_for(beta.users[Role.DEPARTMENT_STAFF])
    body = dict(ENDPOINTS[8].body, department=alpha.department.pk)
    foreign = client.post("/api/v1/projects/", body, format="json")
    missing = client.post("/api/v1/projects/", dict(body, department=999999), format="json")
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()["errors"]["department"] == [
        m.replace("999999", str(alpha.department.pk)) for m in missing.json()["errors"]["department"]
    ]


def test_other_department_staff_do_not_see_the_project(alpha):
    project = make_project(alpha)
    client = client_for(alpha.other_staff)
    assert client.get(f"/api/v1/projects/{project.pk}/").status_code == 404
    assert client.get("/api/v1/projects/").json()["results"] == []


def test_expert_sees_a_project_granted_to_them(alpha):
    from guardian.shortcuts import assign_perm

    project = make_project(alpha)
    expert = alpha.users[Role.EXPERT]
    assign_perm("projects.view_project", expert, project)
    client = client_for(expert)
    assert client.get(f"/api/v1/projects/{project.pk}/").status_code == 200
    response = client.post(
        f"/api/v1/projects/{project.pk}/transitions/", {"transition": "declare"}, format="json"
    )
    assert response.status_code == 403


def test_token_auth(alpha):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "alpha_reviewer", "password": "pw-for-tests"}, format="json"
    )
    assert response.status_code == 200
    assert set(response.json()) == {"token", "expiry"}  # knox's answer, read as before
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/v1/jurisdictions/alpha/").status_code == 200
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token nope")
    assert bad.get("/api/v1/jurisdictions/alpha/").status_code == 401
