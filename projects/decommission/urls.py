"""Pages of projects.decommission under /projects/<pk>/... (names in the `projects` namespace)."""

urlpatterns: list = []
