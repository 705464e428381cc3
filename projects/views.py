"""Pages for department staff and reviewers: the project list and the project detail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from approvals.opinions.views import opinion_section
from approvals.reviews.views import is_expert_only, review_section
from approvals.stages.selectors import stage_section
from govproj.errors import ApplicationError, NotFound
from govproj.i18n import english, in_language
from govproj.pages import TenantScopedPageMixin
from jurisdictions.editor.succession import declaration_warning
from jurisdictions.models import Department
from jurisdictions.rules import measure_status
from projects import detail, services
from projects.api import ProjectFilter
from projects.documents.selectors import codes_on_file, project_documents
from projects.documents.views import document_section
from projects.duplicates.views import duplicate_section
from projects.gates import open_gates
from projects.intake.views import intake_section
from projects.models import TRANSITION_LABELS, Phase, Project
from projects.pages import project_or_404
from projects.records import record_sections
from projects.screening.selectors import project_screening
from projects.screening.views import screening_section
from projects.selectors import (
    LIST_ROW_COLUMNS,
    RememberedCountPaginator,
    available_transitions,
    invalid_stored_facts,
    project_verdicts,
    project_years,
    screening_answers_fact,
)
from security.services import project_refusal_record

# Taken in the intake section's own forms (a reason, a confirmation), not by the generic buttons.
INTAKE_DECISIONS = frozenset({"withdraw", "return_for_revision", "reject", "enter_library"})


# The phases in the order of the lifecycle (draft first), not of their codes' spelling.
_PHASE_POSITION = Case(
    *(When(phase=value, then=Value(position)) for position, value in enumerate(Phase.values)),
    default=Value(len(Phase.values)),
    output_field=IntegerField(),
)

# The orders a person may choose (?sort=key, ?sort=-key for descending): a whitelist, so a
# value we do not offer gives the default order, never a 500. The id always follows, in the
# same direction, so equal values (the same year, the same amount) keep one order across pages.
# Only the default has an index in its order ((jurisdiction|department, -created_at, -id)); the
# others sort the visible rows for each page. On PostgreSQL that is a top-N heap sort (LIMIT 20),
# tens of milliseconds over 100,000 rows: fine for a page, not worth an index (and a migration)
# per column.
LIST_SORTS = {
    "code": F("code"),
    "title": F("title"),
    "year": F("year"),
    "phase": _PHASE_POSITION,
    "total_investment_wan": F("total_investment_wan"),
    "created_at": F("created_at"),
}
DEFAULT_SORT = "-created_at"
# A header's first click: numbers and dates biggest and newest first, words from A.
FIRST_DESCENDING = frozenset({"year", "total_investment_wan", "created_at"})


def list_sort(value: str | None) -> str:
    """The sort asked for if the list offers it, else the default ("-created_at")."""
    value = value or ""
    return value if value.removeprefix("-") in LIST_SORTS else DEFAULT_SORT


def list_order(sort: str) -> tuple:
    """ORDER BY for a valid sort: the column, then the id in the same direction (a total order)."""
    key = sort.removeprefix("-")
    if sort.startswith("-"):
        return LIST_SORTS[key].desc(), F("pk").desc()
    return LIST_SORTS[key].asc(), F("pk").asc()


def listed_projects(request, visible: QuerySet) -> tuple[QuerySet, ProjectFilter, str]:
    """The visible projects the list's filters select, in the chosen order; the page and the export.

    The filters are the API's (one FilterSet): a bad value leaves the FilterSet invalid and the
    query empty (the caller says what is wrong). Returns (projects, filters, sort).
    """
    projects = visible.select_related("jurisdiction", "department").only(*LIST_ROW_COLUMNS)
    chosen = request.GET.copy()  # the form sends every select; "" means "all"
    for name in list(chosen):
        chosen.setlist(name, [value for value in chosen.getlist(name) if value != ""])
    filters = ProjectFilter(chosen, queryset=projects, request=request)
    sort = list_sort(request.GET.get("sort"))
    if not filters.is_valid():
        return projects.none(), filters, sort
    return filters.qs.order_by(*list_order(sort)), filters, sort


def page_number(paginator, asked: str | None) -> int:
    """The page asked for, kept within the pages there are: past the end is the last page,
    below 1 or not a number is the first (a link kept from a longer list still lands somewhere)."""
    try:
        number = int(asked or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), paginator.num_pages)


class ProjectListView(TenantScopedPageMixin, ListView):
    model = Project
    paginate_by = 20
    paginator_class = RememberedCountPaginator
    template_name = "projects/project_list.html"
    visible = None

    filter_errors = None
    sort = DEFAULT_SORT

    def get_queryset(self):
        """The filters are the API's (one FilterSet): a bad value is a 400 naming it, never a 500."""
        self.visible = super().get_queryset()
        projects, filters, self.sort = listed_projects(self.request, self.visible)
        if filters.errors:
            self.filter_errors = filters.errors
            for name, problems in filters.errors.items():
                label = filters.form.fields[name].label if name in filters.form.fields else name
                problem = _("%(field)s: %(problems)s") % {"field": label, "problems": " ".join(problems)}
                messages.error(self.request, problem)
        return projects

    def paginate_queryset(self, queryset, page_size):
        """Like ListView's, but ?page=999, ?page=abc and ?page=-1 show the last or first page, not a 404."""
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.page(page_number(paginator, self.request.GET.get("page")))
        return paginator, page, page.object_list, page.has_other_pages()

    def render_to_response(self, context, **response_kwargs):
        if self.filter_errors:
            response_kwargs["status"] = 400
        response = super().render_to_response(context, **response_kwargs)
        # The table alone and the whole page share a URL: a browser must not cache one for the other.
        patch_vary_headers(response, ["HX-Request"])
        return response

    @property
    def partial(self) -> bool:
        """An HTMX swap of the table; not htmx asking for a page to go Back to (hx-history="false")."""
        return bool(self.request.htmx) and not self.request.htmx.history_restore_request

    def get_template_names(self):
        return ["projects/_project_table.html"] if self.partial else [self.template_name]

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
            sort=self.sort,
            partial=self.partial,
            sorts=sort_choices(),
            sort_links=sort_links(query, self.sort),
            expert_only=is_expert_only(self.request.user),  # an empty list says why (assignments)
        )
        return context


def sort_choices() -> list[tuple[str, str]]:
    """The sort select's options (the only way to sort on a phone, where the headers are hidden)."""
    return [
        ("-created_at", _("Newest first")),
        ("created_at", _("Oldest first")),
        ("-total_investment_wan", _("Investment, highest first")),
        ("total_investment_wan", _("Investment, lowest first")),
        ("code", _("Code, ascending")),
        ("-code", _("Code, descending")),
        ("title", _("Title, ascending")),
        ("-title", _("Title, descending")),
        ("-year", _("Plan year, latest first")),
        ("year", _("Plan year, earliest first")),
        ("phase", _("Phase, earliest first")),
        ("-phase", _("Phase, latest first")),
    ]


def sort_links(query, sort: str) -> dict[str, dict]:
    """Per sortable column: the query that sorts by it (reversed if it is the current sort), and
    the current direction ("asc", "desc" or "") for the header's arrow and aria-sort."""
    links = {}
    for key in LIST_SORTS:
        if sort.removeprefix("-") == key:
            direction = "desc" if sort.startswith("-") else "asc"
            target = key if direction == "desc" else f"-{key}"
        else:
            direction = ""
            target = f"-{key}" if key in FIRST_DESCENDING else key
        linked = query.copy()
        linked["sort"] = target
        links[key] = {"query": linked.urlencode(), "direction": direction}
    return links


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
        context.update(opinion_section(self.request.user, project, pack=pack))
        context.update(review_section(self.request.user, project, pack=pack))
        context.update(
            screening_section(
                user=self.request.user, project=project, pack=pack, answers=answers, events=events
            )
        )
        context.update(stage_section(self.request.user, project, pack=pack, verdicts=verdicts))
        sections, templates = record_sections(
            self.request.user, project, pack=pack, verdicts=verdicts, events=events
        )
        context.update(sections, record_sections=templates)
        category = next((c.name for c in pack.spec.categories if c.code == project.category), None)
        mine = [
            name
            for name in available_transitions(project, self.request.user)
            if name not in INTAKE_DECISIONS  # decided in the intake section, with a reason or a confirmation
        ]
        context.update(
            intake_section(user=self.request.user, project=project, verdicts=verdicts, events=events)
        )
        possible = available_transitions(project)
        context.update(
            pack=pack,
            measure=measure_status(pack.spec, timezone.localdate()),
            category_name=in_language(category) if category else project.category,
            needs=detail.next_steps(
                project,
                verdicts,
                possible,
                owed={name: open_gates(project, name, pack.spec) for name in possible},
            ),
            rule_groups=detail.rules_by_phase(project, verdicts),
            invalid_facts=invalid_stored_facts(project),
            timeline=detail.timeline(events, pack),
            transitions=[(name, TRANSITION_LABELS[name]) for name in mine],
            # 办法失效: declaring now pins a lapsed measure's last version (issue 13 §5)
            declaration_warning=declaration_warning(project.jurisdiction) if "declare" in mine else None,
            reason_required=services.REASON_REQUIRED,
            english=english(),
        )
        return context


@login_required
@require_POST
def transition(request, pk: int):
    name = request.POST.get("transition", "")
    project_or_404(request.user, pk)  # another tenant's project is not there, whatever is posted
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
