"""Pages of projects.construction under /projects/<pk>/construction/ (names in the `projects` namespace)."""

from django.urls import path

from projects.construction import views

urlpatterns = [
    path("", views.overview, name="construction-overview"),
    path("supervision/", views.supervision, name="construction-supervision"),
    path("supervision/file/", views.supervision_file, name="construction-supervision-file"),
    path("procurement/", views.procurement, name="construction-procurement"),
    path("reports/new/", views.report_new, name="construction-report-new"),
    path("reports/<int:year>/", views.report_detail, name="construction-report"),
    path("incidents/new/", views.incident_new, name="construction-incident-new"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="construction-incident"),
    path("incidents/<int:incident_id>/file/", views.incident_file, name="construction-incident-file"),
    *(
        path(
            f"incidents/<int:incident_id>/{action}/",
            views.incident_action,
            {"action": action},
            name=f"construction-incident-{action}",
        )
        for action in views.INCIDENT_ACTIONS
    ),
]
