"""API routes of projects.construction, included in /api/v1/ (names in the `api` namespace)."""

urlpatterns: list = []
