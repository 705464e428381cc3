from django.urls import path

from projects.documents import views

# Included under projects/<int:pk>/documents/ (projects/urls.py), in the `projects` namespace.
urlpatterns = [
    path("upload/", views.upload, name="document-upload"),
    path("<int:document_id>/download/", views.download, name="document-download"),
    path("<int:document_id>/reject/", views.reject, name="document-reject"),
]
