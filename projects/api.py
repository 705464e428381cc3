"""API doors onto the project services. Views parse, call one service, serialise."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from govproj.api import TenantScopedMixin, valid
from jurisdictions.rules import measure_status
from projects import services
from projects.models import AuditEvent, Phase, Project
from projects.selectors import available_transitions, project_for, project_verdicts
from projects.serializers import (
    AuditEventSerializer,
    ProjectCreateSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    TransitionRequestSerializer,
)


class ProjectFilter(django_filters.FilterSet):
    jurisdiction = django_filters.CharFilter(field_name="jurisdiction__code")
    phase = django_filters.MultipleChoiceFilter(choices=Phase.choices)
    q = django_filters.CharFilter(method="search", label="search code or title")

    class Meta:
        model = Project
        fields = ["jurisdiction", "department", "phase", "year", "category"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value))


class ProjectViewSet(TenantScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    queryset = Project.objects.select_related("jurisdiction", "department", "rule_pack")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def create(self, request: Request) -> Response:
        """File a draft project for your department."""
        data = valid(ProjectCreateSerializer(data=request.data, user=request.user))
        project = services.create_project(actor=request.user, **data)
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectUpdateSerializer, responses=ProjectSerializer)
    def partial_update(self, request: Request, pk=None) -> Response:
        """Edit a draft or returned project (its department's staff)."""
        project_for(request.user, pk)
        data = valid(ProjectUpdateSerializer(data=request.data, user=request.user))
        project = services.update_project(actor=request.user, project_id=pk, changes=dict(data))
        return Response(ProjectSerializer(project).data)

    @extend_schema(
        methods=["GET"],
        responses=inline_serializer(
            "AvailableTransitions", {"phase": serializers.CharField(), "allowed": serializers.ListField()}
        ),
    )
    @extend_schema(methods=["POST"], request=TransitionRequestSerializer, responses=ProjectSerializer)
    @action(detail=True, methods=["get", "post"])
    def transitions(self, request: Request, pk=None) -> Response:
        """GET: what you may do next. POST: do it (409 names what is allowed; 400 names the rule)."""
        project = project_for(request.user, pk)
        if request.method == "GET":
            return Response({"phase": project.phase, "allowed": available_transitions(project, request.user)})
        data = valid(TransitionRequestSerializer(data=request.data))
        project = services.transition_project(
            actor=request.user, project_id=project.pk, name=data["transition"], comment=data["comment"]
        )
        return Response(ProjectSerializer(project).data)

    @extend_schema(responses=AuditEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk=None) -> Response:
        """The audit trail: every transition with its actor, rule-pack version and verdicts."""
        project = project_for(request.user, pk)
        events = AuditEvent.objects.filter(project=project).select_related(
            "actor", "rule_pack", "rule_pack__jurisdiction"
        )
        return Response(AuditEventSerializer(events, many=True).data)

    @extend_schema(
        responses=inline_serializer(
            "ProjectVerdicts",
            {
                "rule_pack": serializers.CharField(),
                "measure_status": serializers.DictField(),
                "verdicts": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    @action(detail=True, methods=["get"])
    def verdicts(self, request: Request, pk=None) -> Response:
        """The rules of the pinned pack (or the pack in force) applied to the project today."""
        project = project_for(request.user, pk)
        pack, verdicts = project_verdicts(project)
        return Response(
            {
                "rule_pack": pack.label,
                "measure_status": measure_status(pack.spec, timezone.localdate()),
                "verdicts": [v.to_dict() for v in verdicts],
            }
        )
