"""Rule-pack pages: compare_urls."""

urlpatterns: list = []
