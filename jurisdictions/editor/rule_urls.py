"""Rule-pack pages: rule_urls."""

urlpatterns: list = []
