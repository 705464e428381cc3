"""Delegation pages, under /projects/delegations/ (named in the `projects` namespace)."""

from django.urls import path

from approvals.delegation import views

urlpatterns = [
    path("", views.delegation_list, name="delegation-list"),
    path("new/", views.delegation_create, name="delegation-create"),
    path("<int:pk>/end/", views.delegation_end, name="delegation-end"),
]
