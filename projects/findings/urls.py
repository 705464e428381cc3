"""Pages of projects.findings under /projects/<pk>/findings/ (names in the `projects` namespace)."""

from django.urls import path

from projects.findings import views

urlpatterns = [
    path("<slug:fact>/", views.record, name="finding-record"),
]
