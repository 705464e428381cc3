"""API routes of projects.decommission, included in /api/v1/ (names in the `api` namespace)."""

from django.urls import path

from projects.decommission import api

urlpatterns = [
    path("projects/<str:id>/decommission/", api.DecommissionView.as_view(), name="project-decommission"),
    path("projects/<str:id>/decommission/plan/", api.PlanView.as_view(), name="project-decommission-plan"),
    path(
        "projects/<str:id>/decommission/data/",
        api.DataDisposalView.as_view(),
        name="project-decommission-data",
    ),
    path(
        "projects/<str:id>/decommission/assets/", api.AssetsView.as_view(), name="project-decommission-assets"
    ),
    path(
        "projects/<str:id>/decommission/filing/", api.FilingView.as_view(), name="project-decommission-filing"
    ),
    path(
        "projects/<str:id>/decommission/complete/",
        api.CompleteView.as_view(),
        name="project-decommission-complete",
    ),
    path("projects/<str:id>/decommission/flag/", api.FlagView.as_view(), name="project-decommission-flag"),
]
