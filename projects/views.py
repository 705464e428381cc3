"""Pages for department staff and reviewers: the project list and the project detail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from govproj.errors import ApplicationError, NotFound
from govproj.i18n import english, in_language
from govproj.pages import TenantScopedPageMixin
from jurisdictions.models import Department
from jurisdictions.rules import measure_status
from projects import services
from projects.models import TRANSITION_LABELS, Phase, Project
from projects.selectors import available_transitions, project_verdicts

OUTCOME_ORDER = {"fail": 0, "required": 1, "unknown": 2, "info": 3, "pass": 4, "not_applicable": 5}
OUTCOME_LABELS = {
    "fail": gettext_lazy("Not met"),
    "required": gettext_lazy("Action required"),
    "unknown": gettext_lazy("Facts missing"),
    "info": gettext_lazy("For information"),
    "pass": gettext_lazy("Met"),
    "not_applicable": gettext_lazy("Not applicable"),
}


class ProjectListView(TenantScopedPageMixin, ListView):
    model = Project
    paginate_by = 20
    template_name = "projects/project_list.html"

    def get_queryset(self):
        projects = super().get_queryset().select_related("jurisdiction", "department")
        params = self.request.GET
        if phase := params.get("phase"):
            projects = projects.filter(phase=phase)
        if (department := params.get("department", "")).isdigit():
            projects = projects.filter(department_id=department)
        if (year := params.get("year", "")).isdigit():
            projects = projects.filter(year=year)
        if q := params.get("q", "").strip():
            projects = projects.filter(Q(code__icontains=q) | Q(title__icontains=q))
        return projects.order_by("-created_at", "-pk")

    def get_template_names(self):
        if self.request.htmx:
            return ["projects/_project_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            phases=Phase.choices,
            departments=Department.objects.for_user(self.request.user).select_related("jurisdiction"),
            years=Project.objects.for_user(self.request.user)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct(),
            filters=self.request.GET,
            querystring=query.urlencode(),
        )
        return context


class ProjectDetailView(TenantScopedPageMixin, DetailView):
    model = Project
    template_name = "projects/project_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("jurisdiction", "department", "rule_pack", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        pack, verdicts = project_verdicts(project)
        verdicts = sorted(
            (v.to_dict() for v in verdicts), key=lambda v: (OUTCOME_ORDER[v["outcome"]], v["rule_id"])
        )
        for verdict in verdicts:
            verdict["outcome_label"] = OUTCOME_LABELS[verdict["outcome"]]
        category = next((c.name for c in pack.spec.categories if c.code == project.category), None)
        context.update(
            pack=pack,
            measure=measure_status(pack.spec, timezone.localdate()),
            category_name=in_language(category) if category else project.category,
            verdicts=verdicts,
            events=project.events.select_related("actor", "rule_pack", "rule_pack__jurisdiction"),
            transitions=[
                (name, TRANSITION_LABELS[name]) for name in available_transitions(project, self.request.user)
            ],
            english=english(),
        )
        return context


@login_required
@require_POST
def transition(request, pk: int):
    name = request.POST.get("transition", "")
    try:
        services.transition_project(
            actor=request.user, project_id=pk, name=name, comment=request.POST.get("comment", "")
        )
    except NotFound as exc:
        raise Http404 from exc
    except ApplicationError as error:
        messages.error(request, error.message)
        for verdict in error.extra.get("verdicts", []):
            messages.warning(request, f"{verdict['citation']['article']} · {in_language(verdict['message'])}")
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": TRANSITION_LABELS.get(name, name)})
    return redirect("projects:detail", pk=pk)
