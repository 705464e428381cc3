"""API routes of reports, included in /api/v1/ (names in the `api` namespace)."""

from django.urls import path

from projects.reports import api

urlpatterns = [
    path("reports/", api.ReportListView.as_view(), name="report-list"),
    path("reports/<str:id>/", api.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<str:id>/file/", api.ReportFileView.as_view(), name="report-file"),
    path("reports/<str:id>/retry/", api.ReportRetryView.as_view(), name="report-retry"),
    path(
        "projects/<str:id>/reports/printable/", api.ProjectPrintableView.as_view(), name="project-printable"
    ),
]
