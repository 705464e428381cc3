"""API doors onto the project services. Views parse, call one service, serialise."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from govproj.api import ServiceAPIView, TenantScopedMixin, valid
from govproj.errors import PreconditionFailed, ValidationFailed
from govproj.pagination import KeysetPagination
from jurisdictions.models import Department
from jurisdictions.rules import measure_status
from projects import services
from projects.models import AuditEvent, Phase, Project
from projects.selectors import (
    PROJECT_ID_MAX,
    available_transitions,
    invalid_stored_facts,
    parsed_project_id,
    project_for,
    project_verdicts,
)
from projects.serializers import (
    AuditEventSerializer,
    ProjectCreateSerializer,
    ProjectListSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    TransitionRequestSerializer,
)
from security.services import project_refusal_record


class IntegerFilter(django_filters.Filter):
    """A whole number in ASCII digits within the field's range (forms.IntegerField refuses "²")."""

    field_class = forms.IntegerField


def _departments(request):
    return Department.objects.for_user(request.user) if request else Department.objects.none()


class ProjectFilter(django_filters.FilterSet):
    jurisdiction = django_filters.CharFilter(field_name="jurisdiction__code")
    department = django_filters.ModelChoiceFilter(queryset=_departments)
    year = IntegerFilter(min_value=1, max_value=9999)
    # No DISTINCT: a project has one phase, so the filter cannot repeat a row.
    phase = django_filters.MultipleChoiceFilter(choices=Phase.choices, distinct=False)
    q = django_filters.CharFilter(method="search", label="search code or title")

    class Meta:
        model = Project
        fields = ["jurisdiction", "department", "phase", "year", "category"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value))


class ProjectCursorPagination(KeysetPagination):
    """Newest first, a page at a time, by an opaque cursor: follow `next` and `previous`.

    No total is given (counting every visible project on every page is what made long lists
    slow); rows never repeat or vanish between pages, whatever is filed meanwhile.
    """


def checked_project_id(value) -> int:
    """The project id from the URL as a number, or a 400 that names `id` (never a 500 on "abc")."""
    number = parsed_project_id(value)
    if number is None:
        raise ValidationFailed(
            _("The project id must be a whole number."),
            extra={"errors": {"id": [f"must be a whole number from 1 to {PROJECT_ID_MAX}"]}},
        )
    return number


class ProjectRecordView(ServiceAPIView):
    """A door onto one of a project's records (/projects/{id}/…): the id checked (400 for "abc"),
    refused writes written to the security log as `refusal_action`."""

    refusal_action = ""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        checked_project_id(kwargs["id"])

    def record_refusal(self, error) -> None:
        if self.request.method in ("GET", "HEAD", "OPTIONS") or not self.refusal_action:
            return
        project_refusal_record(
            request=self.request, project_id=self.kwargs.get("id"), action=self.refusal_action, error=error
        )


def project_etag(version: int) -> str:
    """The project's entity tag: its `version`, which every saved change increments."""
    return f'"{version}"'


def expected_versions(request: Request) -> frozenset[int] | None:
    """The versions `If-Match` accepts (strong comparison), or None when any version will do."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = parse_etags(header)
    if "*" in tags:
        return None
    return frozenset(int(tag[1:-1]) for tag in tags if tag[1:-1].isascii() and tag[1:-1].isdecimal())


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description='the ETag you read (e.g. "3"); a stale one gets 412 with the current ETag',
)
ETAG = OpenApiParameter(
    "ETag", str, OpenApiParameter.HEADER, response={200}, description="the project's version, quoted"
)
STALE = OpenApiResponse(
    inline_serializer(
        "PreconditionFailed",
        {
            "code": serializers.CharField(),
            "detail": serializers.CharField(),
            "version": serializers.IntegerField(),
        },
    ),
    description="If-Match names an older version; the ETag header carries the current one",
)


PROJECT_ID = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": PROJECT_ID_MAX},
    OpenApiParameter.PATH,
    description="the project's id",
)


@extend_schema_view(
    list=extend_schema(
        description=(
            "The projects you may see, newest first (created_at, then id), 25 a page (`page_size` up "
            "to 100). Pages are reached by cursor: follow `next` and `previous` as given; no total is "
            "counted. A row leaves out the description and the facts: read the project for them. "
            "`q` searches code and title (case-insensitive, any part)."
        )
    ),
    **{
        name: extend_schema(parameters=[PROJECT_ID])
        for name in ("retrieve", "partial_update", "transitions", "events", "verdicts")
    },
)
class ProjectViewSet(TenantScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    queryset = Project.objects.select_related("jurisdiction", "department", "rule_pack").defer(
        "rule_pack__content"
    )
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    pagination_class = ProjectCursorPagination

    def get_serializer_class(self):
        return ProjectListSerializer if self.action == "list" else ProjectSerializer

    def get_queryset(self):
        projects = super().get_queryset()
        if self.action == "list":  # rows as dicts of the columns a row shows (no model instances)
            projects = projects.select_related(None).values(*ProjectListSerializer.COLUMNS)
        return projects

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if "pk" in kwargs:
            checked_project_id(kwargs["pk"])

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if isinstance(exc, PreconditionFailed):
            response["ETag"] = project_etag(exc.extra["version"])
        return response

    def record_refusal(self, error) -> None:
        """Refused actions on a project go to the security log (called by the API's error handler)."""
        if self.request.method in ("GET", "HEAD", "OPTIONS") or "pk" not in self.kwargs:
            return
        action = self.action
        try:
            data = self.request.data
        except APIException:  # refused before the body was read, and the body is bad too
            data = None
        if action == "transitions" and isinstance(data, dict):
            action = str(data.get("transition", ""))[:40]
        project_refusal_record(
            request=self.request, project_id=self.kwargs["pk"], action=action or "", error=error
        )

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def create(self, request: Request) -> Response:
        """File a draft project for your department."""
        data = valid(ProjectCreateSerializer(data=request.data, user=request.user))
        project = services.create_project(actor=request.user, **data)
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("If-None-Match", str, OpenApiParameter.HEADER, description="an ETag you hold"),
            ETAG,
        ],
        responses={200: ProjectSerializer, 304: OpenApiResponse(description="unchanged since that ETag")},
    )
    def retrieve(self, request: Request, pk=None) -> Response:
        """One project, with its version as the ETag (send it back in If-Match when you edit)."""
        project = project_for(request.user, pk)
        etag = project_etag(project.version)
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        return Response(ProjectSerializer(project).data, headers={"ETag": etag})

    @extend_schema(
        request=ProjectUpdateSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: ProjectSerializer, 412: STALE},
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        """Edit a draft or returned project (its department's staff).

        `facts` is a JSON merge patch (RFC 7396): the facts you send are added or replaced,
        a fact set to null is removed, and facts you leave out stay as they are.
        """
        project_for(request.user, pk)
        data = valid(ProjectUpdateSerializer(data=request.data, user=request.user))
        project = services.update_project(
            actor=request.user,
            project_id=pk,
            changes=dict(data),
            expected_versions=expected_versions(request),
        )
        return Response(ProjectSerializer(project).data, headers={"ETag": project_etag(project.version)})

    @extend_schema(
        methods=["GET"],
        responses=inline_serializer(
            "AvailableTransitions", {"phase": serializers.CharField(), "allowed": serializers.ListField()}
        ),
    )
    @extend_schema(
        methods=["POST"],
        request=TransitionRequestSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={200: ProjectSerializer, 412: STALE},
        description=(
            "Run one transition. `comment` is required (not blank) for `return_for_revision` and "
            "`reject`: it is the reason the department reads; without it the answer is 400 with "
            "`errors.comment`. `withdraw` (department staff, while declared) takes the declaration "
            "back to a draft and unpins its rule pack."
        ),
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None)
    def transitions(self, request: Request, pk=None) -> Response:
        """GET: what you may do next. POST: do it (409 names what is allowed; 400 names the rule)."""
        project = project_for(request.user, pk)
        if request.method == "GET":
            return Response({"phase": project.phase, "allowed": available_transitions(project, request.user)})
        data = valid(TransitionRequestSerializer(data=request.data))
        project = services.transition_project(
            actor=request.user,
            project_id=project.pk,
            name=data["transition"],
            comment=data["comment"],
            expected_versions=expected_versions(request),
        )
        return Response(ProjectSerializer(project).data, headers={"ETag": project_etag(project.version)})

    @extend_schema(responses=AuditEventSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=PageNumberPagination)
    def events(self, request: Request, pk=None) -> Response:
        """The audit trail, oldest first, a page at a time: every change with its actor, pack and verdicts."""
        project = project_for(request.user, pk)
        events = (
            AuditEvent.objects.filter(project=project)
            .select_related("actor", "rule_pack", "rule_pack__jurisdiction")
            .order_by("at", "pk")
        )
        page = self.paginate_queryset(events)
        return self.get_paginated_response(AuditEventSerializer(page, many=True).data)

    @extend_schema(
        responses=inline_serializer(
            "ProjectVerdicts",
            {
                "rule_pack": serializers.CharField(),
                "measure_status": serializers.DictField(),
                "verdicts": serializers.ListField(child=serializers.DictField()),
                "invalid_facts": serializers.ListField(
                    child=inline_serializer(
                        "InvalidStoredFact",
                        {
                            "fact": serializers.CharField(),
                            "label": serializers.DictField(child=serializers.CharField()),
                            "problem": serializers.CharField(),
                            "expected": serializers.CharField(required=False),
                            "value": serializers.JSONField(allow_null=True),
                        },
                    ),
                    help_text="stored facts the vocabulary refuses; evaluation leaves them out",
                ),
            },
        )
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def verdicts(self, request: Request, pk=None) -> Response:
        """The rules of the pinned pack (or the pack in force) applied to the project today.

        A stored fact the vocabulary refuses (say a date outside 1900–2200 written before it
        was checked) is left out of evaluation and listed in `invalid_facts`.
        """
        project = project_for(request.user, pk)
        pack, verdicts = project_verdicts(project)
        return Response(
            {
                "rule_pack": f"{project.jurisdiction.code} v{pack.version}",
                "measure_status": measure_status(pack.spec, timezone.localdate()),
                "verdicts": [v.to_dict() for v in verdicts],
                "invalid_facts": invalid_stored_facts(project),
            }
        )
