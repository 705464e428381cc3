"""Pages of projects.nudges under /projects/<pk>/nudges/ (names in the `projects` namespace)."""

from django.urls import path

from projects.nudges import views

urlpatterns = [
    path("", views.nudge, name="nudge"),
]
