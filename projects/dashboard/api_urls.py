"""Dashboard API (included in /api/v1/, names in the `api` namespace)."""

from django.urls import path

from projects.dashboard import api

urlpatterns = [
    path("dashboard/", api.DashboardView.as_view(), name="dashboard"),
]
