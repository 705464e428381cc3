"""Pages of reports under /reports/ (names in the `reports` namespace)."""

from django.urls import path

from projects.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("request/", views.request_jurisdiction_report, name="request"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/retry/", views.retry, name="retry"),
]
