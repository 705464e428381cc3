"""The random-check pages of a jurisdiction (莱州 第三十四条), under /projects/random-checks/ (`projects`)."""

from django.urls import path

from acceptance.evaluation import views

urlpatterns = [
    path("", views.random_checks, name="evaluation-random-checks"),
    path("<int:draw_id>/", views.random_check, name="evaluation-random-check"),
]
