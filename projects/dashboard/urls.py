"""Dashboard page (/dashboard/, `dashboard` namespace)."""

from django.urls import path

from projects.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
]
