"""Pages of the annual plan (年度计划): the list, a plan, and its actions, each a door onto a service.

A refusal is shown with its reason; a plan the person may not see is a 404. Department staff see
published plans read-only; only the jurisdiction's reviewers see the forms.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govproj.errors import ApplicationError, NotFound
from govproj.pages import form_errors
from projects.plans import services
from projects.plans.forms import AddProjectsForm, EmergencyForm, PlanCreateForm, PublishForm
from projects.plans.models import PlanStatus
from projects.plans.selectors import (
    emergency_article,
    managed_jurisdictions,
    may_manage,
    plan_candidates,
    plan_entries,
    plan_for,
    plan_totals,
    plans_for,
    wan,
)


def _plan_or_404(user, pk):
    try:
        return plan_for(user, pk)
    except NotFound as exc:
        raise Http404 from exc


def _refused(request, error: ApplicationError) -> None:
    messages.error(request, error.message)


@login_required
@require_http_methods(["GET", "POST"])
def plan_list(request):
    """年度计划: the plans the person may see; a reviewer starts a new one here."""
    jurisdictions = managed_jurisdictions(request.user)
    form = None
    status = 200
    if jurisdictions:
        from jurisdictions.models import Jurisdiction

        choices = Jurisdiction.objects.filter(pk__in=[j.pk for j in jurisdictions]).order_by("code")
        form = PlanCreateForm(request.POST or None, jurisdictions=choices, prefix="new")
        if request.method == "POST":
            if form.is_valid():
                try:
                    plan = services.plan_create(
                        actor=request.user,
                        jurisdiction=form.cleaned_data["jurisdiction"],
                        year=form.cleaned_data["year"],
                        ceiling_wan=form.cleaned_data["ceiling_wan"],
                    )
                except ApplicationError as error:
                    form_errors(form, error)
                else:
                    messages.success(request, _("The %(year)s annual plan is started.") % {"year": plan.year})
                    return redirect("projects:plan-detail", pk=plan.pk)
            status = 400
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "projects/plans/list.html",
        {"plans": [_with_cents(plan) for plan in plans_for(request.user)], "form": form},
        status=status,
    )


def _with_cents(plan):
    plan.total_wan = wan(plan.total_wan)
    return plan


def _page(request, plan, *, add_form=None, emergency_form=None, status=200):
    manages = may_manage(request.user, plan)
    candidates = list(plan_candidates(plan)) if manages else []
    article = emergency_article(plan.jurisdiction) if manages else None
    if manages and plan.is_open and add_form is None:
        add_form = AddProjectsForm(candidates=candidates, prefix="add")
    if manages and article and plan.status == PlanStatus.PUBLISHED and emergency_form is None:
        emergency_form = EmergencyForm(candidates=candidates, approver=article.approver, prefix="emergency")
    return render(
        request,
        "projects/plans/detail.html",
        {
            "plan": plan,
            "entries": list(plan_entries(plan)),
            "totals": plan_totals(plan),
            "manages": manages,
            "candidates": candidates,
            "add_form": add_form if manages and plan.is_open else None,
            "emergency_form": emergency_form if article and plan.status == PlanStatus.PUBLISHED else None,
            "article": article,
        },
        status=status,
    )


@login_required
def plan_detail(request, pk: int):
    """A plan: status, its projects, totals by department and funding source against the ceiling."""
    return _page(request, _plan_or_404(request.user, pk))


@login_required
@require_POST
def plan_add(request, pk: int):
    plan = _plan_or_404(request.user, pk)
    form = AddProjectsForm(request.POST, candidates=plan_candidates(plan), prefix="add")
    if not form.is_valid():
        return _page(request, plan, add_form=form, status=400)
    added = 0
    for project_id in form.cleaned_data["projects"]:
        try:
            services.plan_add_project(actor=request.user, plan_id=plan.pk, project_id=int(project_id))
        except ApplicationError as error:
            _refused(request, error)
        else:
            added += 1
    if added:
        messages.success(request, _("%(count)s project(s) added to the plan.") % {"count": added})
    return redirect("projects:plan-detail", pk=plan.pk)


@login_required
@require_POST
def plan_remove(request, pk: int, project_id: int):
    plan = _plan_or_404(request.user, pk)
    try:
        services.plan_remove_project(actor=request.user, plan_id=plan.pk, project_id=project_id)
    except ApplicationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The project is removed from the plan."))
    return redirect("projects:plan-detail", pk=plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_publish(request, pk: int):
    """The confirmation step: publishing is final; every project listed enters the annual plan."""
    plan = _plan_or_404(request.user, pk)
    form = PublishForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.plan_publish(actor=request.user, plan_id=plan.pk)
            except ApplicationError as error:
                _refused(request, error)
                return redirect("projects:plan-detail", pk=plan.pk)
            messages.success(
                request,
                _("The %(year)s annual plan is published; its projects are now in the annual plan.")
                % {"year": plan.year},
            )
            return redirect("projects:plan-detail", pk=plan.pk)
        status = 400
    entries = list(plan_entries(plan))
    return render(
        request,
        "projects/plans/publish.html",
        {
            "plan": plan,
            "form": form,
            "moving": [e for e in entries if e.project.phase == "in_library"],
            "totals": plan_totals(plan),
            "manages": may_manage(request.user, plan),
        },
        status=status,
    )


@login_required
@require_POST
def plan_revise(request, pk: int):
    plan = _plan_or_404(request.user, pk)
    try:
        services.plan_revise(actor=request.user, plan_id=plan.pk)
    except ApplicationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("The plan is open for revision: add or remove projects, then publish it again.")
        )
    return redirect("projects:plan-detail", pk=plan.pk)


@login_required
@require_POST
def plan_emergency(request, pk: int):
    plan = _plan_or_404(request.user, pk)
    article = emergency_article(plan.jurisdiction)
    if article is None:
        messages.error(
            request,
            _("This jurisdiction's measure makes no provision for emergency additions to the annual plan."),
        )
        return redirect("projects:plan-detail", pk=plan.pk)
    form = EmergencyForm(
        request.POST, candidates=plan_candidates(plan), approver=article.approver, prefix="emergency"
    )
    if form.is_valid():
        try:
            services.plan_emergency_add(
                actor=request.user,
                plan_id=plan.pk,
                project_id=int(form.cleaned_data["project"]),
                approved_by=form.cleaned_data["approved_by"],
                approval_document_no=form.cleaned_data["approval_document_no"],
                approval_date=form.cleaned_data["approval_date"],
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, _("The emergency addition is recorded; the project is in the annual plan.")
            )
            return redirect("projects:plan-detail", pk=plan.pk)
    return _page(request, plan, emergency_form=form, status=400)
