"""API routes of acceptance.completion, included in /api/v1/ (names in the `api` namespace)."""

from django.urls import path

from acceptance.completion import api

urlpatterns = [
    path("projects/<str:id>/acceptance/", api.AcceptanceView.as_view(), name="project-acceptance"),
    path(
        "projects/<str:id>/acceptance/trial-run/",
        api.TrialRunView.as_view(),
        name="project-acceptance-trial-run",
    ),
    path(
        "projects/<str:id>/acceptance/trial-run/stable/",
        api.StableView.as_view(),
        name="project-acceptance-stable",
    ),
    path(
        "projects/<str:id>/acceptance/checks/<slug:kind>/request/",
        api.CheckRequestView.as_view(),
        name="project-acceptance-check-request",
    ),
    path(
        "projects/<str:id>/acceptance/checks/<slug:kind>/decide/",
        api.CheckDecideView.as_view(),
        name="project-acceptance-check-decide",
    ),
    path(
        "projects/<str:id>/acceptance/delays/", api.DelayApplyView.as_view(), name="project-acceptance-delay"
    ),
    path(
        "projects/<str:id>/acceptance/delays/<str:delay_id>/decide/",
        api.DelayDecideView.as_view(),
        name="project-acceptance-delay-decide",
    ),
    path("projects/<str:id>/acceptance/apply/", api.ApplyView.as_view(), name="project-acceptance-apply"),
    path("projects/<str:id>/acceptance/decide/", api.DecideView.as_view(), name="project-acceptance-decide"),
    path(
        "projects/<str:id>/acceptance/standard/",
        api.StandardView.as_view(),
        name="project-acceptance-standard",
    ),
]
