"""Rule-pack pages: browsing packs and versions; an admin's draft, its YAML, publication, discarding."""

from django.urls import path

from jurisdictions.editor import views

urlpatterns = [
    path("", views.index, name="index"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("drafts/<int:pk>/yaml/", views.yaml, name="yaml"),
    path("drafts/<int:pk>/publish/", views.publish, name="publish"),
    path("drafts/<int:pk>/discard/", views.discard, name="discard"),
    path("<slug:code>/", views.pack, name="pack"),
    path("<slug:code>/versions/", views.versions, name="versions"),
    path("<slug:code>/versions/<int:version>.yaml", views.export, name="export"),
    path("<slug:code>/draft/", views.draft_start, name="draft-start"),
]
