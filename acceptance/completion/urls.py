"""Pages of acceptance.completion under /projects/<pk>/acceptance/ (names in the `projects` namespace)."""

from django.urls import path

from acceptance.completion import views

urlpatterns = [
    path("", views.overview, name="acceptance"),
    path("trial-run/", views.action, {"action": "trial-run"}, name="acceptance-trial-run"),
    path("trial-run/stable/", views.action, {"action": "stable"}, name="acceptance-stable"),
    path(
        "checks/<slug:kind>/request/",
        views.action,
        {"action": "check-request"},
        name="acceptance-check-request",
    ),
    path(
        "checks/<slug:kind>/decide/", views.action, {"action": "check-decide"}, name="acceptance-check-decide"
    ),
    path("delay/", views.action, {"action": "delay"}, name="acceptance-delay"),
    path(
        "delay/<int:delay_id>/decide/",
        views.action,
        {"action": "delay-decide"},
        name="acceptance-delay-decide",
    ),
    path("apply/", views.action, {"action": "apply"}, name="acceptance-apply"),
    path("decide/", views.action, {"action": "decide"}, name="acceptance-decide"),
    path("standard/", views.action, {"action": "standard"}, name="acceptance-standard"),
]
