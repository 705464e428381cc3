"""Pages of projects.decommission under /projects/<pk>/decommission/ (names in the `projects` namespace)."""

from django.urls import path

from projects.decommission import views

urlpatterns = [
    path("plan/", views.plan, name="decommission-plan"),
    path("data/", views.data_disposal, name="decommission-data"),
    path("assets/", views.assets, name="decommission-assets"),
    path("filing/<str:body>/", views.filing, name="decommission-filing"),
    path("complete/", views.complete, name="decommission-complete"),
    path("flag/<str:flag>/<str:turn>/", views.flag, name="decommission-flag"),
]
