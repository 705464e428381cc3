"""Rule-pack API: api_urls."""

urlpatterns: list = []
