"""Pages of the O&M funding applications: apply, one application with its answer rule by rule, the
finance officer's decision, submit and withdraw, and the finance officer's queue. Plain form posts; the
services check role, state and rules again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from budgets.om import forms, services
from budgets.om.models import OmApplication
from budgets.om.selectors import (
    application_answer,
    finance_jurisdictions,
    finance_queue,
    may,
    may_apply,
    recent_decisions,
    shown_decisions,
)
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form
from projects.selectors import parsed_project_id


def _application_or_404(project, application_id) -> OmApplication:
    pk = parsed_project_id(application_id)
    found = (
        OmApplication.objects.filter(project=project, pk=pk)
        .select_related("created_by", "submitted_by", "decided_by", "on_behalf_of", "follows")
        .first()
        if pk is not None
        else None
    )
    if found is None:
        raise Http404
    return found


def _detail_url(project, application) -> str:
    from django.urls import reverse

    return reverse("projects:om-detail", args=[project.pk, application.pk])


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, pk: int):
    """The department applies for a year's O&M funds (drafted and submitted in one step)."""
    project = project_or_404(request.user, pk)
    allowed = may_apply(request.user, project)
    form = forms.ApplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def call():
            with transaction.atomic():  # a refused submission leaves no draft behind
                application = services.om_create(
                    actor=request.user,
                    project_id=project.pk,
                    year=data["year"],
                    amount_wan=data["amount_wan"],
                    term_years=data["term_years"],
                    is_continuation=data["is_continuation"],
                    period_end_date=data.get("period_end_date"),
                    comment=data.get("comment", ""),
                )
                return services.om_submit(
                    actor=request.user, project_id=project.pk, application_id=application.pk
                )

        done = run_on_form(request, form, call, project_id=project.pk, action="om_submit")
        if done is not REFUSED:
            messages.success(request, _("The O&M funding application went to the finance officer."))
            return redirect(_detail_url(project, done))
    return render(
        request,
        "budgets/om/apply.html",
        {"project": project, "form": form, "allowed": allowed},
        status=answer_status(request, form),
    )


@login_required
@require_GET
def detail(request, pk: int, application: int):
    """One application: the overall answer and each rule's verdict with its article, and the decision."""
    project = project_or_404(request.user, pk)
    found = _application_or_404(project, application)
    answer, version = application_answer(project, found)
    history = list(
        OmApplication.objects.filter(project=project)
        .exclude(pk=found.pk)
        .select_related("decided_by")
        .order_by("-pk")
    )
    return render(
        request,
        "budgets/om/detail.html",
        {
            "project": project,
            "application": found,
            "answer": answer,
            "answer_version": version,
            "may": may(request.user, project, found),
            "history": history,
        },
    )


def _action_page(request, pk, application, *, form_class, template, call, action, done_message, check):
    project = project_or_404(request.user, pk)
    found = _application_or_404(project, application)
    allowed = check(may(request.user, project, found))
    answer, version = application_answer(project, found)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = run_on_form(
            request,
            form,
            lambda: call(project, found, form.cleaned_data),
            project_id=project.pk,
            action=action,
        )
        if done is not REFUSED:
            messages.success(request, done_message)
            return redirect(_detail_url(project, found))
    return render(
        request,
        template,
        {
            "project": project,
            "application": found,
            "answer": answer,
            "answer_version": version,
            "form": form,
            "allowed": allowed,
            "action": action,
        },
        status=answer_status(request, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk: int, application: int):
    """The finance officer approves, reduces or refuses (with a reason), after confirming."""
    return _action_page(
        request,
        pk,
        application,
        form_class=forms.DecideForm,
        template="budgets/om/decide.html",
        call=lambda project, found, data: services.om_decide(
            actor=request.user,
            project_id=project.pk,
            application_id=found.pk,
            decision=data["decision"],
            granted_wan=data.get("granted_wan"),
            reason=data.get("reason", ""),
        ),
        action="om_decide",
        done_message=_("The decision is recorded."),
        check=lambda m: m["decide"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit(request, pk: int, application: int):
    return _action_page(
        request,
        pk,
        application,
        form_class=forms.CommentForm,
        template="budgets/om/confirm.html",
        call=lambda project, found, data: services.om_submit(
            actor=request.user,
            project_id=project.pk,
            application_id=found.pk,
            comment=data.get("comment", ""),
        ),
        action="om_submit",
        done_message=_("The O&M funding application went to the finance officer."),
        check=lambda m: m["submit"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int, application: int):
    return _action_page(
        request,
        pk,
        application,
        form_class=forms.CommentForm,
        template="budgets/om/confirm.html",
        call=lambda project, found, data: services.om_withdraw(
            actor=request.user,
            project_id=project.pk,
            application_id=found.pk,
            comment=data.get("comment", ""),
        ),
        action="om_withdraw",
        done_message=_("The O&M funding application was withdrawn."),
        check=lambda m: m["withdraw"],
    )


@login_required
@require_GET
def queue(request):
    """运维经费审核: the finance officer's submitted applications with their answers, and recent decisions."""
    jurisdictions = finance_jurisdictions(request.user)
    if jurisdictions is not None and not jurisdictions:
        raise PermissionDenied(_("The O&M funding queue is the finance officers' page."))
    page = finance_queue(request.user, request.GET.get("page"))
    decisions = shown_decisions(recent_decisions(request.user))
    return render(
        request, "budgets/om/queue.html", {"page": page, "rows": page.object_list, "decisions": decisions}
    )
