"""Pages of notifications: the centre (/notifications/), the header's unread count, opening one (marks it
read, then goes to the thing to do), marking read, and the e-mail settings.

Each person sees only their own: someone else's notification is a 404. Marking read works as a plain
form post and, from the centre, as an htmx swap of the one item (the header's count is told to reload).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govproj.errors import NotFound
from projects.notifications import forms, selectors, services

PAGE_SIZE = 50
CHANGED = "notifications-changed"  # the htmx event the header's count reloads on


@login_required
@require_GET
def centre(request):
    """The person's notifications, unread first then newest first, 50 a page."""
    paginator = Paginator(selectors.notification_list(user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "projects/notifications/centre.html",
        {"page": page, "paginator": paginator, "unread": selectors.unread_count(request.user)},
    )


@login_required
@require_GET
def count(request):
    """The header's unread count (fetched after the page loads, and again when one is marked read)."""
    return render(
        request, "projects/notifications/_count.html", {"count": selectors.unread_count(request.user)}
    )


def _mark_read(request, pk):
    try:
        return services.notification_mark_read(user=request.user, notification_id=pk)
    except NotFound as error:
        raise Http404 from error


@login_required
@require_GET
def open_notification(request, pk: str):
    """Mark it read and go to the thing to do: only ever the notification's own path on this site."""
    row = _mark_read(request, pk)
    return redirect(row.url if services.is_local_path(row.url) else reverse("notifications:centre"))


@login_required
@require_POST
def mark_read(request, pk: str):
    row = _mark_read(request, pk)
    if request.htmx:
        response = render(request, "projects/notifications/_item.html", {"n": row})
        response["HX-Trigger"] = CHANGED
        return response
    return redirect("notifications:centre")


@login_required
@require_POST
def mark_all_read(request):
    marked = services.notification_mark_all_read(user=request.user)
    messages.success(request, _("Marked %(count)s notifications as read.") % {"count": marked})
    return redirect("notifications:centre")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """How to be told by e-mail: immediately, a daily digest, or not at all."""
    if request.method == "POST":
        form = forms.PreferenceForm(request.POST)
        if form.is_valid():
            services.notification_preference_set(
                user=request.user, email_mode=form.cleaned_data["email_mode"]
            )
            messages.success(request, _("Saved."))
            return redirect("notifications:settings")
    else:
        form = forms.PreferenceForm(initial={"email_mode": selectors.email_mode_of(request.user)})
    return render(
        request,
        "projects/notifications/settings.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
