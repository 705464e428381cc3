"""Pages of budgets.changes under /projects/<pk>/changes/ (names in the `projects` namespace)."""

from django.urls import path

from budgets.changes import views

urlpatterns = [
    path("", views.change_list, name="change-list"),
    path("new/", views.change_create, name="change-create"),
    path("accounts/", views.final_account, name="change-account"),
    path("accounts/return/", views.surplus_return, name="change-surplus-return"),
    path("<int:request_id>/", views.change_detail, name="change-detail"),
    path("<int:request_id>/edit/", views.change_edit, name="change-edit"),
    *(
        path(f"<int:request_id>/{action}/", views.change_action, {"action": action}, name=f"change-{action}")
        for action in views.ACTIONS
    ),
]
