"""The banner of calendar admins: this year or next not entered completely (templates/base.html).

Lazy: nothing is read unless a page shows the banner; then the person's roles (read once per request
for the navigation anyway) and the complete years (one query at most, none while the calendar is
unchanged).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from jurisdictions.workdays.selectors import banner_years


def calendar_banner(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"calendar_banner_years": SimpleLazyObject(lambda: list(banner_years(user, timezone.localdate())))}
