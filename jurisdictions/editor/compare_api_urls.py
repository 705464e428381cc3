"""Rule-pack API: compare_api_urls."""

urlpatterns: list = []
