"""Pages of evaluation: the 「绩效评价」 section of the project page, each action's page, the files, and
the random-check page of a jurisdiction (莱州 第三十四条).

Each action is a plain form post with its own page; the services check role, phase and separation of
duties again, and a refusal is shown on the form with what was typed kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from acceptance.evaluation import forms, services
from acceptance.evaluation.models import (
    PostEvaluation,
    PostEvaluationExpert,
    PostMethod,
    PostStatus,
    RandomCheckDraw,
    RandomCheckResult,
    Rating,
    SelfEvaluation,
)
from acceptance.evaluation.selectors import (
    evaluation_records,
    random_check_setting,
    verify_draw,
    window_said,
    window_verdict,
)
from govproj.errors import ApplicationError, NotFound
from govproj.pages import form_errors
from jurisdictions.models import Jurisdiction, memberships_of
from jurisdictions.selectors import rule_pack
from projects.documents.files import file_response
from projects.models import Phase, Project
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form
from projects.records import project_section
from security.selectors import person_name

ANCHOR = "#evaluation"
RATING_LABELS = dict(Rating.choices)


def rating_label(value: str) -> str:
    return str(RATING_LABELS.get(value, "")) if value else ""


@project_section(40, "acceptance/evaluation/_section.html")
def evaluation_section(user, project: Project, *, pack, verdicts, events) -> dict | None:
    """The context of templates/acceptance/evaluation/_section.html (None before operation)."""
    if project.phase not in (Phase.IN_OPERATION, Phase.DECOMMISSIONED):
        return None
    records = evaluation_records(project)
    for row in records["selfs"]:
        row.rating_label = rating_label(row.rating)
        row.by_name = person_name(row.submitted_by)
    open_post = None
    for post in records["posts"]:
        post.rating_label = rating_label(post.rating)
        post.organisation_rating_label = rating_label(post.organisation_rating)
        post.method_label = str(PostMethod(post.method).label)
        post.status_label = str(PostStatus(post.status).label)
        post.organised_by_name = person_name(post.organised_by)
        post.concluded_by_name = person_name(post.concluded_by)
        post.expert_list = records["experts"].get(post.pk, [])
        for a in post.expert_list:
            a.expert_name = person_name(a.expert)
            a.rating_label = rating_label(a.rating)
        if post.status == PostStatus.OPEN:
            open_post = post
    mine = [
        a
        for a in (open_post.expert_list if open_post else [])
        if a.expert_id == user.pk and not a.submitted_at
    ]
    actions = services.post_actions(user, project, open_post)
    setting = random_check_setting(pack.spec)
    return {
        "evaluation": {
            "window": window_said(window_verdict(verdicts, pack.spec)),
            "selfs": records["selfs"],
            "may_self": services.self_evaluation_allowed(user, project),
            "posts": records["posts"],
            "open_post": open_post,
            "actions": actions,
            "my_assignments": mine,
            "rating": rating_label((project.facts or {}).get("performance_rating", "")),
            "random_check": setting,
            "may_check": bool(setting) and services.may_check(user, project.jurisdiction),
        }
    }


# --- pages ---------------------------------------------------------------------------------------


def _posted(request) -> tuple:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _back(pk: int):
    return redirect(reverse("projects:detail", kwargs={"pk": pk}) + ANCHOR)


def _action_page(request, project, *, form, title, action, call, done, intro=""):
    if request.method == "POST" and form.is_valid():
        result = run_on_form(
            request, form, lambda: call(form.cleaned_data), project_id=project.pk, action=action
        )
        if result is not REFUSED:
            messages.success(request, done)
            return _back(project.pk)
    return render(
        request,
        "acceptance/evaluation/action.html",
        {"project": project, "title": title, "form": form, "intro": intro},
        status=answer_status(request, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_evaluation(request, pk: int):
    project = project_or_404(request.user, pk)
    pack = project.rule_pack
    window = None
    if pack is not None:
        from projects.selectors import project_verdicts

        _pack, verdicts = project_verdicts(project)
        window = window_said(window_verdict(verdicts, pack.spec))
    if window:
        intro = _("%(title)s (%(article)s): %(message)s") % {
            "title": window["title"],
            "article": window["article"],
            "message": window["message"],
        }
    else:
        intro = _("The measure sets no window for the self-evaluation.")
    return _action_page(
        request,
        project,
        form=forms.SelfEvaluationForm(*_posted(request)),
        title=_("Submit the self-evaluation"),
        action="self_evaluation",
        call=lambda data: services.self_evaluation_submit(
            actor=request.user,
            project_id=pk,
            rating=data["rating"],
            evaluated_on=data["evaluated_on"],
            summary=data["summary"],
            file=data.get("file"),
        ),
        done=_("The self-evaluation is submitted."),
        intro=intro,
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_organise(request, pk: int):
    project = project_or_404(request.user, pk)
    return _action_page(
        request,
        project,
        form=forms.OrganiseForm(_posted(request)[0]),
        title=_("Organise a post-evaluation"),
        action="post_evaluation_organise",
        call=lambda data: services.post_evaluation_organise(
            actor=request.user, project_id=pk, method=data["method"], comment=data["comment"]
        ),
        done=_("The post-evaluation is organised."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_assign(request, pk: int):
    project = project_or_404(request.user, pk)
    experts = [(u.pk, person_name(u)) for u in services.jurisdiction_experts(project)]
    return _action_page(
        request,
        project,
        form=forms.AssignForm(_posted(request)[0], experts=experts),
        title=_("Assign an expert to the post-evaluation"),
        action="post_evaluation_expert_assign",
        call=lambda data: services.post_evaluation_assign_expert(
            actor=request.user, project_id=pk, expert_id=data["expert"]
        ),
        done=_("The expert is assigned and can now see this project."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_opinion(request, pk: int, assignment_id: int):
    project = project_or_404(request.user, pk)
    assignment = PostEvaluationExpert.objects.filter(project=project, pk=assignment_id).first()
    if assignment is None:
        raise Http404
    if assignment.expert_id != request.user.pk:
        raise PermissionDenied(_("Only the assigned expert gives this opinion."))
    return _action_page(
        request,
        project,
        form=forms.OpinionForm(_posted(request)[0]),
        title=_("Give your post-evaluation rating"),
        action="post_evaluation_opinion",
        call=lambda data: services.post_evaluation_opinion(
            actor=request.user,
            project_id=pk,
            assignment_id=assignment_id,
            no_conflict=data["no_conflict"],
            rating=data["rating"],
            opinion=data["opinion"],
        ),
        done=_("Your rating is submitted. Thank you."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_third_party(request, pk: int):
    project = project_or_404(request.user, pk)
    return _action_page(
        request,
        project,
        form=forms.ThirdPartyForm(*_posted(request)),
        title=_("Record the third-party evaluation report"),
        action="post_evaluation_third_party",
        call=lambda data: services.post_evaluation_third_party(
            actor=request.user,
            project_id=pk,
            organisation=data["organisation"],
            rating=data["rating"],
            comment=data["comment"],
            file=data.get("file"),
        ),
        done=_("The third-party report is recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_conclude(request, pk: int):
    project = project_or_404(request.user, pk)
    rule = services.waste_rule(project.rule_pack.spec) if project.rule_pack else None
    return _action_page(
        request,
        project,
        form=forms.ConcludeForm(_posted(request)[0], waste_article=rule.citation.article if rule else ""),
        title=_("Conclude the post-evaluation"),
        action="post_evaluation_conclude",
        call=lambda data: services.post_evaluation_conclude(
            actor=request.user,
            project_id=pk,
            rating=data["rating"],
            conclusion=data["conclusion"],
            waste_found=data.get("waste_found") if rule else None,
        ),
        done=_("The post-evaluation is concluded; its rating is recorded."),
    )


FILE_KINDS = {"self": SelfEvaluation, "post": PostEvaluation}


@login_required
@require_GET
def download(request, pk: int, kind: str, record_id: int):
    """An evaluation report, for anyone who may see the project: never a public media URL."""
    project = project_or_404(request.user, pk)
    model = FILE_KINDS.get(kind)
    row = model.objects.filter(project=project, pk=record_id).first() if model else None
    if row is None or not row.file:
        raise Http404
    return file_response(row.file, filename=row.file_name or "file")


# --- random checks (莱州 第三十四条) ----------------------------------------------------------------


def _checked_jurisdictions(user) -> list[Jurisdiction]:
    """The user's jurisdictions whose measure has random checks."""
    ids = sorted({m.jurisdiction_id for m in memberships_of(user)})
    found = Jurisdiction.objects.filter(pk__in=ids) if not user.is_superuser else Jurisdiction.objects.all()
    return [j for j in found.order_by("code") if random_check_setting(rule_pack(j).spec) is not None]


def _years() -> list[int]:
    today = timezone.localdate()
    return [today.year, today.year - 1]


@login_required
@require_http_methods(["GET", "POST"])
def random_checks(request):
    """The year's random sample of a jurisdiction: the setting and its article, the draw, the results."""
    jurisdictions = _checked_jurisdictions(request.user)
    if not jurisdictions:
        return render(request, "acceptance/evaluation/random_checks.html", {"jurisdictions": []})
    code = request.GET.get("jurisdiction") or jurisdictions[0].code
    jurisdiction = next((j for j in jurisdictions if j.code == code), None)
    if jurisdiction is None:
        raise Http404
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    setting = random_check_setting(rule_pack(jurisdiction).spec)
    may = services.may_check(request.user, jurisdiction)
    form = forms.DrawForm(
        request.POST if request.method == "POST" else None, years=_years(), initial={"year": year}
    )
    if request.method == "POST":
        if not may:
            raise PermissionDenied(
                _("Only a reviewer or the jurisdiction admin draws and records random checks.")
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                draw = services.random_check_draw(
                    actor=request.user,
                    jurisdiction=jurisdiction,
                    year=data["year"],
                    count=data.get("count"),
                    reason=data["reason"],
                )
            except NotFound as exc:
                raise Http404 from exc
            except ApplicationError as error:
                form_errors(form, error)
                form.refusal_status = error.http_status
            else:
                messages.success(request, _("The sample is drawn and recorded."))
                return redirect(reverse("projects:evaluation-random-check", kwargs={"draw_id": draw.pk}))
    draws = list(
        RandomCheckDraw.objects.filter(jurisdiction=jurisdiction, year=year)
        .select_related("drawn_by")
        .order_by("-drawn_at", "-pk")
    )
    for d in draws:
        d.drawn_by_name = person_name(d.drawn_by)
    standing = next((d for d in draws if not d.superseded), None)
    return render(
        request,
        "acceptance/evaluation/random_checks.html",
        {
            "jurisdictions": jurisdictions,
            "jurisdiction": jurisdiction,
            "year": year,
            "years": _years(),
            "setting": setting,
            "may_draw": may,
            "form": form if may else None,
            "draws": draws,
            "standing": standing,
            "population_size": len(services.random_check_population(jurisdiction)),
        },
        status=answer_status(request, form),
    )


def _draw_or_404(user, draw_id: int) -> RandomCheckDraw:
    draw = RandomCheckDraw.objects.select_related("jurisdiction", "drawn_by").filter(pk=draw_id).first()
    if draw is None:
        raise Http404
    try:
        services.jurisdiction_for_checks(user, draw.jurisdiction.code)
    except NotFound as exc:
        raise Http404 from exc
    return draw


@login_required
@require_http_methods(["GET", "POST"])
def random_check(request, draw_id: int):
    """One draw: its seed and population (re-verified), the chosen projects and their results."""
    draw = _draw_or_404(request.user, draw_id)
    may = services.may_check(request.user, draw.jurisdiction) and not draw.superseded
    form = None
    if request.method == "POST":
        if not may:
            raise PermissionDenied(
                _("Only a reviewer or the jurisdiction admin draws and records random checks.")
            )
        form = forms.ResultForm(request.POST)
        project_id = request.POST.get("project")
        if form.is_valid():
            try:
                services.random_check_result(
                    actor=request.user,
                    draw_id=draw.pk,
                    project_id=project_id,
                    rating=form.cleaned_data["rating"],
                    finding=form.cleaned_data["finding"],
                )
            except NotFound as exc:
                raise Http404 from exc
            except ApplicationError as error:
                form_errors(form, error)
                form.refusal_status = error.http_status
            else:
                messages.success(request, _("The result is recorded."))
                return redirect(reverse("projects:evaluation-random-check", kwargs={"draw_id": draw.pk}))
    projects = {
        p.pk: p
        for p in Project.objects.filter(pk__in=list(draw.chosen))
        .select_related("department")
        .only("code", "title", "phase", "department__name_zh", "department__name_en")
    }
    results = {
        r.project_id: r for r in RandomCheckResult.objects.filter(draw=draw).select_related("recorded_by")
    }
    rows = []
    for pid in draw.chosen:
        project = projects.get(pid)
        if project is None:
            continue
        result = results.get(pid)
        rows.append(
            {
                "project": project,
                "result": result,
                "rating_label": rating_label(result.rating) if result else "",
                "recorded_by_name": person_name(result.recorded_by) if result else "",
                "form": (
                    form
                    if form is not None and str(pid) == request.POST.get("project")
                    else forms.ResultForm(auto_id=f"result_{pid}_%s")
                )
                if may and result is None
                else None,
            }
        )
    draw.drawn_by_name = person_name(draw.drawn_by)
    setting = random_check_setting(rule_pack(draw.jurisdiction).spec)
    return render(
        request,
        "acceptance/evaluation/random_check.html",
        {"draw": draw, "rows": rows, "verified": verify_draw(draw), "setting": setting},
        status=answer_status(request, form) if form is not None else 200,
    )
