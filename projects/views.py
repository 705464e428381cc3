"""Pages for department staff and reviewers: the project list and the project detail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
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
from projects.api import ProjectFilter
from projects.documents.selectors import codes_on_file, project_documents
from projects.documents.views import document_section
from projects.duplicates.views import duplicate_section
from projects.models import TRANSITION_LABELS, Phase, Project
from projects.screening.selectors import project_screening
from projects.screening.views import screening_section
from projects.selectors import (
    RememberedCountPaginator,
    available_transitions,
    invalid_stored_facts,
    project_verdicts,
    project_years,
    screening_answers_fact,
)
from security.services import project_refusal_record

OUTCOME_ORDER = {"fail": 0, "required": 1, "unknown": 2, "info": 3, "pass": 4, "not_applicable": 5}
OUTCOME_LABELS = {
    "fail": gettext_lazy("Not met"),
    "required": gettext_lazy("Action required"),
    "unknown": gettext_lazy("Facts missing"),
    "info": gettext_lazy("For information"),
    "pass": gettext_lazy("Met"),
    "not_applicable": gettext_lazy("Not applicable"),
}


# What a row of the list page shows (and the keys the filters and the order use).
LIST_PAGE_COLUMNS = (
    "code",
    "title",
    "year",
    "phase",
    "total_investment_wan",
    "created_at",
    "jurisdiction__code",
    "jurisdiction__name_zh",
    "jurisdiction__name_en",
    "department__name_zh",
    "department__name_en",
)


class ProjectListView(TenantScopedPageMixin, ListView):
    model = Project
    paginate_by = 20
    paginator_class = RememberedCountPaginator
    template_name = "projects/project_list.html"
    visible = None

    filter_errors = None

    def get_queryset(self):
        """The filters are the API's (one FilterSet): a bad value is a 400 naming it, never a 500."""
        self.visible = super().get_queryset()
        projects = self.visible.select_related("jurisdiction", "department").only(*LIST_PAGE_COLUMNS)
        chosen = self.request.GET.copy()  # the form sends every select; "" means "all"
        for name in list(chosen):
            chosen.setlist(name, [value for value in chosen.getlist(name) if value != ""])
        filters = ProjectFilter(chosen, queryset=projects, request=self.request)
        if not filters.is_valid():
            self.filter_errors = filters.errors
            for name, problems in filters.errors.items():
                label = filters.form.fields[name].label if name in filters.form.fields else name
                problem = _("%(field)s: %(problems)s") % {"field": label, "problems": " ".join(problems)}
                messages.error(self.request, problem)
            return projects.none()
        return filters.qs.order_by("-created_at", "-pk")

    def render_to_response(self, context, **response_kwargs):
        if self.filter_errors:
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)

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
            departments=[
                (department.pk, f"{department.jurisdiction.name} · {department.name}")
                for department in Department.objects.for_user(self.request.user).select_related(
                    "jurisdiction"
                )
            ],
            years=[(year, year) for year in project_years(self.visible)],
            filters=self.request.GET,
            querystring=query.urlencode(),
        )
        return context


def _with_outcome_labels(events) -> list:
    """The timeline's applied verdicts say their outcome in the reader's language, not `pass`."""
    events = list(events)
    for event in events:
        for verdict in event.verdicts:
            verdict["outcome_label"] = OUTCOME_LABELS.get(verdict.get("outcome"), "")
    return events


class ProjectDetailView(TenantScopedPageMixin, DetailView):
    model = Project
    template_name = "projects/project_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("jurisdiction", "department", "rule_pack", "created_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        events = list(project.events.select_related("actor", "rule_pack"))
        documents = project_documents(project)  # read once: the `documents` fact and the section
        answers = project_screening(project)  # read once: the `negative_list_answers` fact and the section
        pack, verdicts = project_verdicts(
            project,
            events=[(e.action, e.at) for e in events],
            documents=codes_on_file(documents),
            screening=screening_answers_fact((a.item_code, a.applies, a.reviewed_applies) for a in answers),
        )
        context.update(
            document_section(
                user=self.request.user,
                project=project,
                pack=pack,
                verdicts=verdicts,
                documents=documents,
                events=events,
            )
        )
        context.update(duplicate_section(user=self.request.user, project=project, events=events))
        context.update(
            screening_section(
                user=self.request.user, project=project, pack=pack, answers=answers, events=events
            )
        )
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
            invalid_facts=invalid_stored_facts(project),
            events=_with_outcome_labels(events),
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
        project_refusal_record(request=request, project_id=pk, action=name[:40], error=error)
        messages.error(request, error.message)
        for verdict in error.extra.get("verdicts", []):
            messages.warning(request, f"{verdict['citation']['article']} · {in_language(verdict['message'])}")
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": TRANSITION_LABELS.get(name, name)})
    return redirect("projects:detail", pk=pk)
