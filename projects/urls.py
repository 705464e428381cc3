from django.urls import include, path

from approvals.opinions import views as opinion_views
from approvals.reviews import views as review_views
from budgets.om import views as om_views
from projects import export, form_views, views
from projects.deadlines import views as deadline_views

app_name = "projects"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("export.xlsx", export.project_list_export, name="export"),
    path("new/", form_views.project_create, name="create"),
    path("preview/", form_views.project_preview, name="preview"),
    path("intake/", include("projects.intake.urls")),
    path("plans/", include("projects.plans.urls")),
    path("opinions/mine/", opinion_views.mine_page, name="opinion-mine"),
    path("reviews/mine/", review_views.mine, name="review-mine"),
    path("random-checks/", include("acceptance.evaluation.random_urls")),
    path("inbox/", include("approvals.inbox.urls")),
    path("home/", include("projects.home.urls")),  # the home page's header count
    path("delegations/", include("approvals.delegation.urls")),
    path("om/queue/", om_views.queue, name="om-queue"),  # 运维经费: the finance officer's queue
    path("reminders/", deadline_views.reminder_policy, name="reminder-policy"),  # 提醒设置
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", form_views.project_edit, name="edit"),
    path("<int:pk>/edit/preview/", form_views.project_preview, name="edit_preview"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/documents/", include("projects.documents.urls")),
    path("<int:pk>/duplicates/", include("projects.duplicates.urls")),
    path("<int:pk>/screening/", include("projects.screening.urls")),
    path("<int:pk>/stages/", include("approvals.stages.urls")),
    path("<int:pk>/opinions/", include("approvals.opinions.urls")),
    path("<int:pk>/reviews/", include("approvals.reviews.urls")),
    # Issue 10: construction to decommissioning (each part's own pages)
    path("<int:pk>/construction/", include("projects.construction.urls")),
    path("<int:pk>/changes/", include("budgets.changes.urls")),
    path("<int:pk>/acceptance/", include("acceptance.completion.urls")),
    path("<int:pk>/evaluation/", include("acceptance.evaluation.urls")),
    path("<int:pk>/om/", include("budgets.om.urls")),
    path("<int:pk>/decommission/", include("projects.decommission.urls")),
    path("<int:pk>/findings/", include("projects.findings.urls")),
    path("<int:pk>/deadlines/", include("projects.deadlines.urls")),
    path("<int:pk>/nudges/", include("projects.nudges.urls")),  # 催办
    path("<int:pk>/reports/", include("projects.reports.project_urls")),  # 报告与档案
    path("<int:pk>/what-if/", include("projects.whatif.urls")),  # 规则推演 (issue 13)
]
