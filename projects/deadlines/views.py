"""Pages of stored deadlines: the 「期限」 section of the project page and the waiver page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from projects.deadlines import services
from projects.deadlines.forms import WaiveForm
from projects.deadlines.models import Deadline
from projects.deadlines.selectors import project_deadlines, status_label
from projects.models import Project
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form
from projects.records import project_section
from projects.selectors import parsed_project_id

ANCHOR = "#deadlines"


@project_section(5, "projects/deadlines/_section.html")
def deadlines_section(user, project: Project, *, pack, verdicts, events) -> dict | None:
    """The context of templates/projects/deadlines/_section.html (None while nothing is due)."""
    rows = list(project_deadlines(project))
    if not rows:
        return None
    today = timezone.localdate()
    for row in rows:
        row.status_label = status_label(row, today)
        row.days_left = (row.due_date - today).days
    return {
        "deadlines": {
            "rows": rows,
            "may_waive": services.may_waive(user, project),
            "uncertain": any(not row.certain for row in rows if row.status in services.WAIVABLE),
        }
    }


@login_required
@require_http_methods(["GET", "POST"])
def waive(request, pk: int, deadline: str):
    project = project_or_404(request.user, pk)
    deadline_pk = parsed_project_id(deadline)
    row = Deadline.objects.filter(pk=deadline_pk, project=project).first() if deadline_pk else None
    if row is None:
        raise Http404
    form = WaiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = run_on_form(
            request,
            form,
            lambda: services.deadline_waive(
                actor=request.user,
                project_id=project.pk,
                deadline_id=row.pk,
                reason=form.cleaned_data["reason"],
            ),
            project_id=project.pk,
            action="deadline_waived",
        )
        if result is not REFUSED:
            messages.success(request, _("The deadline is waived: %(title)s.") % {"title": row.title_zh})
            return redirect(reverse("projects:detail", kwargs={"pk": project.pk}) + ANCHOR)
    return render(
        request,
        "projects/deadlines/waive.html",
        {
            "project": project,
            "row": row,
            "form": form,
            "may_waive": services.may_waive(request.user, project),
        },
        status=answer_status(request, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reminder_policy(request):
    """提醒设置: when the jurisdiction's people are reminded, for its administrators."""
    from django.core.exceptions import PermissionDenied

    from projects.deadlines import policy
    from projects.deadlines.forms import ReminderPolicyForm
    from security.selectors import person_name

    choices = policy.administered(request.user)
    if not choices:
        raise PermissionDenied(_("Only a jurisdiction's administrators set its reminders."))
    code = request.GET.get("jurisdiction") or choices[0].code
    jurisdiction = next((j for j in choices if j.code == code), None)
    if jurisdiction is None:
        raise Http404
    row = policy.policy_for(jurisdiction)
    people = [(user.pk, person_name(user)) for user in policy.reviewers(jurisdiction)]
    initial = {
        "lead_days": ", ".join(str(n) for n in row.lead_days),
        "overdue_every": row.overdue_every,
        "escalate_after": row.escalate_after,
        "reviewer_lead": row.reviewer_lead_id,
    }
    form = ReminderPolicyForm(
        request.POST if request.method == "POST" else None, initial=initial, reviewers=people
    )
    if request.method == "POST" and form.is_valid():
        result = run_on_form(
            request,
            form,
            lambda: policy.reminder_policy_set(
                actor=request.user, jurisdiction_code=jurisdiction.code, request=request, **form.cleaned_data
            ),
            project_id=None,
            action="reminder_policy",
        )
        if result is not REFUSED:
            messages.success(request, _("The reminder settings are saved."))
            return redirect(reverse("projects:reminder-policy") + f"?jurisdiction={jurisdiction.code}")
    return render(
        request,
        "projects/deadlines/reminder_policy.html",
        {"form": form, "jurisdiction": jurisdiction, "choices": choices},
        status=answer_status(request, form),
    )
