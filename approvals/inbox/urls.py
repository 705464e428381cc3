"""Inbox pages, under /projects/inbox/ (named in the `projects` namespace)."""

from django.urls import path

from approvals.inbox import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("batch/", views.batch, name="inbox-batch"),
    path("count/", views.count, name="inbox-count"),
]
