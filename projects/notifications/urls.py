"""Pages of notifications under /notifications/ (names in the `notifications` namespace)."""

from django.urls import path

from projects.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("count/", views.count, name="count"),
    path("read-all/", views.mark_all_read, name="read-all"),
    path("settings/", views.preferences, name="settings"),
    path("<str:pk>/open/", views.open_notification, name="open"),
    path("<str:pk>/read/", views.mark_read, name="read"),
]
