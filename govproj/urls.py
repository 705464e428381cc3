from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from approvals.delegation import api as delegation_api
from approvals.inbox import api as inbox_api
from approvals.opinions import api as opinions_api
from approvals.reviews import api as reviews_api
from approvals.stages import api as stages_api
from govproj import views
from jurisdictions import api as jurisdictions_api
from jurisdictions import views as jurisdictions_views
from projects import api as projects_api
from projects import export as projects_export
from projects.documents import api as documents_api
from projects.duplicates import api as duplicates_api
from projects.intake import api as intake_api
from projects.plans import api as plans_api
from projects.screening import api as screening_api
from security import api as security_api
from security import signin, tokens
from security import views as security_views

router = DefaultRouter()
router.register("jurisdictions", jurisdictions_api.JurisdictionViewSet, basename="jurisdiction")
router.register("projects", projects_api.ProjectViewSet, basename="project")
router.register("security-events", security_api.SecurityEventViewSet, basename="security-event")

api_v1 = [
    # Before the router: its `projects/<pk>.<format>` would take "export.xlsx" for a project.
    path("projects/export.xlsx", projects_export.ProjectExportView.as_view(), name="project-export"),
    path("", include(router.urls)),
    path(
        "projects/<str:id>/documents/", documents_api.DocumentListView.as_view(), name="project-document-list"
    ),
    path(
        "projects/<str:id>/documents/checklist/",
        documents_api.DocumentChecklistView.as_view(),
        name="project-document-checklist",
    ),
    path(
        "projects/<str:id>/documents/<str:document_id>/download",
        documents_api.DocumentDownloadView.as_view(),
        name="project-document-download",
    ),
    path(
        "projects/<str:id>/documents/<str:document_id>/reject/",
        documents_api.DocumentRejectView.as_view(),
        name="project-document-reject",
    ),
    path("projects/<str:id>/similar/", duplicates_api.SimilarProjectsView.as_view(), name="project-similar"),
    path(
        "projects/<str:id>/duplicate-decision/",
        duplicates_api.DuplicateDecisionView.as_view(),
        name="project-duplicate-decision",
    ),
    path("projects/<str:id>/screening/", screening_api.ScreeningView.as_view(), name="project-screening"),
    path(
        "projects/<str:id>/screening/review/",
        screening_api.ScreeningReviewView.as_view(),
        name="project-screening-review",
    ),
    path("projects/<str:id>/opinions/", opinions_api.OpinionsView.as_view(), name="project-opinions"),
    path(
        "projects/<str:id>/opinions/request/",
        opinions_api.OpinionRequestView.as_view(),
        name="project-opinions-request",
    ),
    path(
        "projects/<str:id>/opinions/rerequest/",
        opinions_api.OpinionRerequestView.as_view(),
        name="project-opinions-rerequest",
    ),
    path(
        "projects/<str:id>/opinions/signers/",
        opinions_api.OpinionSignerView.as_view(),
        name="project-opinions-signer",
    ),
    path(
        "projects/<str:id>/opinions/<str:request_id>/answer/",
        opinions_api.OpinionAnswerView.as_view(),
        name="project-opinion-answer",
    ),
    path("projects/<str:id>/reviews/", reviews_api.ReviewListView.as_view(), name="project-reviews"),
    path(
        "projects/<str:id>/reviews/assignments/<str:assignment_id>/withdraw/",
        reviews_api.ReviewWithdrawView.as_view(),
        name="project-review-withdraw",
    ),
    path(
        "projects/<str:id>/reviews/assignments/<str:assignment_id>/opinion/",
        reviews_api.ReviewOpinionView.as_view(),
        name="project-review-opinion",
    ),
    path(
        "projects/<str:id>/reviews/<slug:code>/organise/",
        reviews_api.ReviewOrganiseView.as_view(),
        name="project-review-organise",
    ),
    path(
        "projects/<str:id>/reviews/<slug:code>/decide/",
        reviews_api.ReviewDecideView.as_view(),
        name="project-review-decide",
    ),
    path(
        "projects/<str:id>/reviews/<slug:code>/reopen/",
        reviews_api.ReviewReopenView.as_view(),
        name="project-review-reopen",
    ),
    path(
        "projects/<str:id>/reviews/<slug:code>/experts/",
        reviews_api.ReviewAssignView.as_view(),
        name="project-review-assign",
    ),
    path(
        "projects/<str:id>/reviews/<slug:code>/third-party/",
        reviews_api.ReviewThirdPartyView.as_view(),
        name="project-review-third-party",
    ),
    path("projects/<str:id>/stages/", stages_api.StageListView.as_view(), name="project-stages"),
    *(
        path(f"projects/<str:id>/stages/<slug:code>/{name}/", view.as_view(), name=f"project-stage-{name}")
        for name, view in stages_api.ACTION_VIEWS.items()
    ),
    path("intake/queue/", intake_api.IntakeQueueView.as_view(), name="intake-queue"),
    path("inbox/", inbox_api.InboxView.as_view(), name="inbox"),
    path("inbox/batch/", inbox_api.InboxBatchView.as_view(), name="inbox-batch"),
    path("delegations/", delegation_api.DelegationListView.as_view(), name="delegation-list"),
    path("delegations/<str:id>/end/", delegation_api.DelegationEndView.as_view(), name="delegation-end"),
    path("plans/", plans_api.PlanListView.as_view(), name="plan-list"),
    path("plans/<str:id>/", plans_api.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<str:id>/entries/", plans_api.PlanEntriesView.as_view(), name="plan-entries"),
    path("plans/<str:id>/entries/<str:project_id>/", plans_api.PlanEntryView.as_view(), name="plan-entry"),
    path("plans/<str:id>/publish/", plans_api.PlanPublishView.as_view(), name="plan-publish"),
    path("plans/<str:id>/revise/", plans_api.PlanReviseView.as_view(), name="plan-revise"),
    path("plans/<str:id>/emergency/", plans_api.PlanEmergencyView.as_view(), name="plan-emergency"),
    # Issue 10: construction to decommissioning (each part's own routes)
    path("", include("projects.construction.api_urls")),
    path("", include("budgets.changes.api_urls")),
    path("", include("acceptance.completion.api_urls")),
    path("", include("acceptance.evaluation.api_urls")),
    path("", include("budgets.om.api_urls")),
    path("", include("projects.decommission.api_urls")),
    path("", include("jurisdictions.workdays.api_urls")),  # issue 11 §6: calendar upkeep
    path("", include("projects.findings.api_urls")),
    path("", include("projects.deadlines.api_urls")),
    path("", include("projects.notifications.api_urls")),
    path("", include("projects.nudges.api_urls")),  # issue 11 §3: 催办
    path("", include("projects.reports.api_urls")),  # issue 12: reports and the dossier
    path("", include("jurisdictions.editor.api_urls")),  # issue 13: rule-pack drafts, publishing, export
    path("", include("jurisdictions.editor.compare_api_urls")),  # issue 13: impact, diff, comparison
    path("", include("projects.whatif.api_urls")),  # issue 13: what-if replay
    path("", include("projects.dashboard.api_urls")),  # issue 13: dashboards
    path("auth/token/", tokens.TokenObtainView.as_view(), name="token"),
    path("auth/logout/", tokens.LogoutView.as_view(), name="logout"),
    path("auth/tokens/", tokens.TokenListView.as_view(), name="token-list"),
    re_path(
        r"^auth/tokens/(?P<key>[0-9A-Za-z]{1,25})/$", tokens.TokenDetailView.as_view(), name="token-detail"
    ),
    re_path(
        r"^jurisdictions/(?P<code>[-\w]+)/rulepack/?$",
        jurisdictions_api.RulePackView.as_view(),
        name="rulepack",
    ),
    path(
        "jurisdictions/<slug:code>/rulepacks/",
        jurisdictions_api.RulePackVersionsView.as_view(),
        name="rulepacks",
    ),
    re_path(
        r"^jurisdictions/(?P<code>[-\w]+)/evaluate/?$",
        jurisdictions_api.EvaluateView.as_view(),
        name="evaluate",
    ),
    path(
        "jurisdictions/<slug:code>/working-days/",
        jurisdictions_api.WorkingDaysView.as_view(),
        name="working-days",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", signin.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("projects/", include("projects.urls")),
    path("notifications/", include("projects.notifications.urls")),
    path("reports/", include("projects.reports.urls")),  # 报告中心 (issue 12)
    path("rules/", include("jurisdictions.editor.urls")),  # 规则包: browse, edit, publish, compare (issue 13)
    path("dashboard/", include("projects.dashboard.urls")),  # 统计看板 (issue 13)
    path("security/log/", security_views.security_log, name="security-log"),
    path("people/", jurisdictions_views.people, name="people"),
    path("people/roles/<int:pk>/revoke/", jurisdictions_views.revoke, name="people-revoke"),
    path("people/<int:pk>/unlock/", jurisdictions_views.unlock, name="people-unlock"),
    path("calendar/", include("jurisdictions.workdays.urls")),  # 工作日历: calendar upkeep
    path("", include("security.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

handler400 = "govproj.views.bad_request"
handler403 = "govproj.views.permission_denied"
handler404 = "govproj.views.page_not_found"
handler500 = "govproj.views.server_error"
