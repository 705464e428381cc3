"""API routes of acceptance.evaluation, included in /api/v1/ (names in the `api` namespace)."""

urlpatterns: list = []
