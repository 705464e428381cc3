from django.urls import include, path

from projects import export, form_views, views

app_name = "projects"
urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("export.xlsx", export.project_list_export, name="export"),
    path("new/", form_views.project_create, name="create"),
    path("preview/", form_views.project_preview, name="preview"),
    path("intake/", include("projects.intake.urls")),
    path("plans/", include("projects.plans.urls")),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", form_views.project_edit, name="edit"),
    path("<int:pk>/edit/preview/", form_views.project_preview, name="edit_preview"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/documents/", include("projects.documents.urls")),
    path("<int:pk>/duplicates/", include("projects.duplicates.urls")),
    path("<int:pk>/screening/", include("projects.screening.urls")),
]
