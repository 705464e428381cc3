"""API routes of projects.deadlines, included in /api/v1/ (names in the `api` namespace)."""

from django.urls import path

from projects.deadlines import api

urlpatterns = [
    path("projects/<str:id>/deadlines/", api.DeadlinesView.as_view(), name="project-deadlines"),
    path(
        "projects/<str:id>/deadlines/<str:deadline_id>/waive/",
        api.DeadlineWaiveView.as_view(),
        name="project-deadline-waive",
    ),
    path("jurisdictions/<slug:code>/reminders/", api.ReminderPolicyView.as_view(), name="reminder-policy"),
]
