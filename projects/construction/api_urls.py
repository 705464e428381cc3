"""API routes of projects.construction, included in /api/v1/ (names in the `api` namespace)."""

from django.urls import path

from projects.construction import api

urlpatterns = [
    path("projects/<str:id>/construction/", api.ConstructionView.as_view(), name="construction"),
    path(
        "projects/<str:id>/construction/supervision/",
        api.SupervisionView.as_view(),
        name="construction-supervision",
    ),
    path(
        "projects/<str:id>/construction/procurement/",
        api.ProcurementView.as_view(),
        name="construction-procurement",
    ),
    path("projects/<str:id>/construction/reports/", api.ReportView.as_view(), name="construction-reports"),
    path(
        "projects/<str:id>/construction/incidents/", api.IncidentView.as_view(), name="construction-incidents"
    ),
    *(
        path(
            f"projects/<str:id>/construction/incidents/<str:incident>/{action}/",
            view.as_view(),
            name=f"construction-incident-{action}",
        )
        for action, view in api.INCIDENT_VIEWS.items()
    ),
]
