"""API routes of projects.nudges, included in /api/v1/ (names in the `api` namespace)."""

from django.urls import path

from projects.nudges import api

urlpatterns = [
    path("projects/<str:id>/nudges/", api.NudgesView.as_view(), name="project-nudges"),
]
