"""Rule-pack pages: a draft's impact preview, the diff of two versions, the measures side by side."""

from django.urls import path

from jurisdictions.editor import compare_views

urlpatterns = [
    path("compare/", compare_views.compare, name="compare"),
    path("drafts/<int:pk>/impact/", compare_views.impact, name="impact"),
    path("<slug:code>/diff/", compare_views.diff, name="diff"),
]
