"""Pages of budgets.om under /projects/<pk>/... (names in the `projects` namespace)."""

urlpatterns: list = []
