"""Rule-pack pages: page_urls."""

urlpatterns: list = []
