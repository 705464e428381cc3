"""Pages of 催办: the 「催办」 section of the project page and the nudge form.

The form is a plain post; the service checks the role, the deadline and the once-a-day rule again,
and a refusal (a second nudge the same day: who sent the first and when) is shown on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govproj.pages import form_errors
from projects.deadlines.models import Deadline
from projects.models import Project
from projects.nudges import services
from projects.nudges.forms import NudgeForm
from projects.nudges.models import Nudge
from projects.nudges.selectors import nudge_entry
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form
from projects.records import project_section
from security.selectors import person_name

ANCHOR = "#nudges"
SHOWN = 10  # the latest nudges on the project page; the timeline keeps them all


@project_section(8, "projects/nudges/_section.html")
def nudges_section(user, project: Project, *, pack, verdicts, events) -> dict | None:
    """The context of templates/projects/nudges/_section.html (None: no nudge, and not theirs to send).

    Read from the project's audit events the page has loaded already (each nudge is one): no query.
    """
    may = services.may_nudge(user, project)
    rows = [nudge_entry(event) for event in reversed(events) if event.action == "nudge"][:SHOWN]
    if not rows and not may:
        return None
    return {"nudges": {"rows": rows, "may_nudge": may}}


def _refused(request, form, error) -> None:
    """A refusal naming a field goes on the form; any other (nudged today already: by whom and when,
    a deadline done with) is the page's message, where a person reads it first."""
    if error.extra.get("errors"):
        form_errors(form, error)
    else:
        messages.error(request, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def nudge(request, pk: int):
    project = project_or_404(request.user, pk)
    today = timezone.localdate()
    may = services.may_nudge(request.user, project)
    deadlines = list(
        Deadline.objects.filter(project=project, status__in=services.NUDGEABLE).order_by("due_date", "pk")
    )
    nudged = frozenset(Nudge.objects.filter(project=project, day=today).values_list("item", flat=True))
    chosen = request.GET.get("deadline", "")
    form = NudgeForm(
        request.POST if request.method == "POST" else None,
        deadlines=deadlines,
        today=today,
        nudged=nudged,
        initial={"item": chosen if any(str(d.pk) == chosen for d in deadlines) else ""},
    )
    if request.method == "POST" and form.is_valid():
        sent = run_on_form(
            request,
            form,
            lambda: services.nudge_send(
                actor=request.user,
                project_id=project.pk,
                deadline_id=form.cleaned_data["item"] or None,
                message=form.cleaned_data["message"],
            ),
            project_id=project.pk,
            action="nudge",
            show=lambda form, error: _refused(request, form, error),
        )
        if sent is not REFUSED:
            names = "、".join(person_name(u) for u in sent.recipients.all())
            messages.success(request, _("Nudge sent to %(names)s.") % {"names": names})
            return redirect(reverse("projects:detail", kwargs={"pk": project.pk}) + ANCHOR)
    status = answer_status(request, form)
    if not may and request.method == "GET":
        status = 403
    return render(
        request,
        "projects/nudges/nudge.html",
        {"project": project, "form": form, "may_nudge": may},
        status=status,
    )
