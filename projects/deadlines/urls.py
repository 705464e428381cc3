"""Pages of projects.deadlines under /projects/<pk>/deadlines/ (names in the `projects` namespace)."""

from django.urls import path

from projects.deadlines import views

urlpatterns = [
    path("<str:deadline>/waive/", views.waive, name="deadline-waive"),
]
