"""Pages of projects.home under /projects/home/ (names in the `projects` namespace); the home page
itself is `/` (govproj.views.home)."""

from django.urls import path

from projects.home import views

urlpatterns = [
    path("overdue/count/", views.overdue_count, name="overdue-count"),
]
