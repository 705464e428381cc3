"""Dashboard API."""

urlpatterns: list = []
