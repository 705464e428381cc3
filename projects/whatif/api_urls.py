"""What-if API (namespace `api`, under /api/v1/)."""

from django.urls import path

from projects.whatif import api

urlpatterns = [
    path("projects/<str:id>/what-if/", api.WhatIfView.as_view(), name="project-what-if"),
]
