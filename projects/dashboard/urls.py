"""Dashboard page (/dashboard/, `dashboard` namespace)."""

app_name = "dashboard"
urlpatterns: list = []
