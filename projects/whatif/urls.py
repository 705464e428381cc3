"""What-if pages (projects namespace)."""

urlpatterns: list = []
