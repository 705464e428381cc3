"""API routes of projects.notifications, included in /api/v1/ (names in the `api` namespace)."""

from django.urls import path

from projects.notifications import api

urlpatterns = [
    path("notifications/", api.NotificationListView.as_view(), name="notification-list"),
    path("notifications/read-all/", api.NotificationReadAllView.as_view(), name="notification-read-all"),
    path(
        "notifications/preferences/",
        api.NotificationPreferenceView.as_view(),
        name="notification-preferences",
    ),
    path("notifications/<str:id>/read/", api.NotificationReadView.as_view(), name="notification-read"),
]
