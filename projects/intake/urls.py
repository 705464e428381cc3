"""Intake review pages, under /projects/intake/ (named in the `projects` namespace)."""

from django.urls import path

from projects.intake import views

urlpatterns = [
    path("", views.queue, name="intake-queue"),
    path("<int:pk>/return/", views.decide, {"action": "return"}, name="intake-return"),
    path("<int:pk>/enter-library/", views.decide, {"action": "enter-library"}, name="intake-enter-library"),
    path("<int:pk>/reject/", views.decide, {"action": "reject"}, name="intake-reject"),
    path("<int:pk>/withdraw/", views.decide, {"action": "withdraw"}, name="intake-withdraw"),
]
