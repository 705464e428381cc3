"""API routes of projects.decommission, included in /api/v1/ (names in the `api` namespace)."""

urlpatterns: list = []
