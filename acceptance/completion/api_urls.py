"""API routes of acceptance.completion, included in /api/v1/ (names in the `api` namespace)."""

urlpatterns: list = []
