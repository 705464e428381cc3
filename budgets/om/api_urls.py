"""API routes of budgets.om, included in /api/v1/ (names in the `api` namespace)."""

from django.urls import path

from budgets.om import api

urlpatterns = [
    path("projects/<str:id>/om/", api.ProjectOmView.as_view(), name="project-om"),
    path("projects/<str:id>/om/<str:application>/", api.ApplicationView.as_view(), name="project-om-detail"),
    path(
        "projects/<str:id>/om/<str:application>/submit/",
        api.ApplicationSubmitView.as_view(),
        name="project-om-submit",
    ),
    path(
        "projects/<str:id>/om/<str:application>/withdraw/",
        api.ApplicationWithdrawView.as_view(),
        name="project-om-withdraw",
    ),
    path(
        "projects/<str:id>/om/<str:application>/decide/",
        api.ApplicationDecideView.as_view(),
        name="project-om-decide",
    ),
    path("om/applications/", api.QueueView.as_view(), name="om-queue"),
]
