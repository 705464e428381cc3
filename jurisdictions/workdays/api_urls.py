"""API routes of calendar upkeep, included in /api/v1/ (names in the `api` namespace)."""

from django.urls import path

from jurisdictions.workdays import api

urlpatterns = [
    path(
        "jurisdictions/<slug:code>/calendar/<str:year>/", api.CalendarYearView.as_view(), name="calendar-year"
    ),
    path(
        "jurisdictions/<slug:code>/calendar/<str:year>/toggle/",
        api.CalendarToggleView.as_view(),
        name="calendar-toggle",
    ),
    path(
        "jurisdictions/<slug:code>/calendar/<str:year>/complete/",
        api.CalendarCompleteView.as_view(),
        name="calendar-complete",
    ),
]
