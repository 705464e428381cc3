"""Pages of acceptance.evaluation under /projects/<pk>/... (names in the `projects` namespace)."""

urlpatterns: list = []
