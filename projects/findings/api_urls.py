"""API routes of projects.findings, included in /api/v1/ (names in the `api` namespace)."""

from django.urls import path

from projects.findings import api

urlpatterns = [
    path("projects/<str:id>/findings/", api.FindingsView.as_view(), name="project-findings"),
]
