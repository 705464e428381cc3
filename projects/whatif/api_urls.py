"""What-if API."""

urlpatterns: list = []
