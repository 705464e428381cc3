"""Pages of calendar upkeep under /calendar/ (names in the `calendar` namespace)."""

from django.urls import path

from jurisdictions.workdays import views

app_name = "calendar"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.year_page, name="year"),
    path("<int:year>/toggle/", views.toggle, name="toggle"),
    path("<int:year>/complete/", views.mark, name="mark"),
    path("<int:year>/incomplete/", views.unmark, name="unmark"),
]
