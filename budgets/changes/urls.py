"""Pages of budgets.changes under /projects/<pk>/... (names in the `projects` namespace)."""

urlpatterns: list = []
