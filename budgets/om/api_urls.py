"""API routes of budgets.om, included in /api/v1/ (names in the `api` namespace)."""

urlpatterns: list = []
