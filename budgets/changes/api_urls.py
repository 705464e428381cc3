"""API routes of budgets.changes, included in /api/v1/ (names in the `api` namespace)."""

urlpatterns: list = []
