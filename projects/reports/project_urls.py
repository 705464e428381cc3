"""The project's report request under /projects/<pk>/reports/ (names in the `projects` namespace)."""

from django.urls import path

from projects.reports import views

urlpatterns = [
    path("", views.request_project_report, name="report-request"),
    path("offers/", views.offers, name="report-offers"),
]
