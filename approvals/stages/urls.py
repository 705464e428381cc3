"""Approval stage pages under /projects/<pk>/stages/ (names in the `projects` namespace)."""

from django.urls import path

from approvals.stages import views

urlpatterns = [
    path("", views.stage_list, name="stage-list"),
    path("<slug:code>/submit/", views.stage_action, {"action": "submit"}, name="stage-submit"),
    path("<slug:code>/withdraw/", views.stage_action, {"action": "withdraw"}, name="stage-withdraw"),
    path("<slug:code>/pass-review/", views.stage_action, {"action": "pass-review"}, name="stage-pass-review"),
    path("<slug:code>/approve/", views.stage_action, {"action": "approve"}, name="stage-approve"),
    path("<slug:code>/file/", views.stage_action, {"action": "file"}, name="stage-file"),
    path("<slug:code>/return/", views.stage_action, {"action": "return"}, name="stage-return"),
    path("<slug:code>/reject/", views.stage_action, {"action": "reject"}, name="stage-reject"),
]
