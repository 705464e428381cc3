"""API routes of acceptance.evaluation, included in /api/v1/ (names in the `api` namespace)."""

from django.urls import path

from acceptance.evaluation import api

urlpatterns = [
    path("projects/<str:id>/evaluation/", api.EvaluationView.as_view(), name="project-evaluation"),
    path(
        "projects/<str:id>/evaluation/self/", api.SelfEvaluationView.as_view(), name="project-evaluation-self"
    ),
    path(
        "projects/<str:id>/evaluation/post/",
        api.PostOrganiseView.as_view(),
        name="project-evaluation-post-organise",
    ),
    path(
        "projects/<str:id>/evaluation/post/experts/",
        api.PostAssignView.as_view(),
        name="project-evaluation-post-assign",
    ),
    path(
        "projects/<str:id>/evaluation/post/experts/<str:assignment_id>/opinion/",
        api.PostOpinionView.as_view(),
        name="project-evaluation-post-opinion",
    ),
    path(
        "projects/<str:id>/evaluation/post/third-party/",
        api.PostThirdPartyView.as_view(),
        name="project-evaluation-post-third-party",
    ),
    path(
        "projects/<str:id>/evaluation/post/conclude/",
        api.PostConcludeView.as_view(),
        name="project-evaluation-post-conclude",
    ),
    path(
        "evaluation/random-checks/<str:code>/<str:year>/",
        api.RandomChecksView.as_view(),
        name="evaluation-random-checks",
    ),
    path(
        "evaluation/random-checks/draws/<str:draw_id>/results/",
        api.RandomCheckResultView.as_view(),
        name="evaluation-random-check-result",
    ),
]
