"""Pages of projects.construction under /projects/<pk>/... (names in the `projects` namespace)."""

urlpatterns: list = []
