"""Pages of acceptance.completion under /projects/<pk>/... (names in the `projects` namespace)."""

urlpatterns: list = []
