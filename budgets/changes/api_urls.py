"""API routes of budgets.changes, included in /api/v1/ (names in the `api` namespace)."""

from django.urls import path

from budgets.changes import api

urlpatterns = [
    path("projects/<str:id>/changes/", api.ChangeListView.as_view(), name="project-changes"),
    path(
        "projects/<str:id>/changes/preview/", api.ChangePreviewView.as_view(), name="project-change-preview"
    ),
    path("projects/<str:id>/changes/accounts/", api.FinalAccountView.as_view(), name="project-final-account"),
    path(
        "projects/<str:id>/changes/accounts/return/",
        api.SurplusReturnView.as_view(),
        name="project-surplus-return",
    ),
    path(
        "projects/<str:id>/changes/<str:request_id>/",
        api.ChangeDetailView.as_view(),
        name="project-change-detail",
    ),
    *(
        path(
            f"projects/<str:id>/changes/<str:request_id>/{name}/",
            view.as_view(),
            name=f"project-change-{name}",
        )
        for name, view in api.ACTION_VIEWS.items()
    ),
]
