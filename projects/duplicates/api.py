"""API doors onto duplicate detection: the similar projects, and the reviewer's finding.

Nested under the project (/api/v1/projects/{id}/…); another tenant's project is a 404, a role
that may not see the list (or decide) a 403.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import valid
from projects.api import PROJECT_ID, ProjectRecordView
from projects.duplicates import services
from projects.duplicates.models import DuplicateFinding, Verdict
from projects.duplicates.selectors import THRESHOLD, similar_for
from projects.selectors import project_for
from security.tokens import PersonSerializer


class SimilarProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="project.pk")
    code = serializers.CharField(source="project.code")
    title = serializers.CharField(source="project.title")
    department = serializers.CharField(source="project.department.name")
    year = serializers.IntegerField(source="project.year")
    phase = serializers.CharField(source="project.phase")
    phase_label = serializers.CharField(source="project.phase_label")
    score = serializers.FloatField(
        help_text=f"0–1, title weighted over description; listed from {THRESHOLD}. pg_trgm similarity "
        "on PostgreSQL, difflib ratio elsewhere (close, not equal)"
    )


class DuplicateFindingSerializer(serializers.ModelSerializer):
    duplicate_of = serializers.CharField(source="other.code", allow_null=True, default=None)
    decided_by = PersonSerializer()

    class Meta:
        model = DuplicateFinding
        fields = ["id", "verdict", "duplicate_of", "comment", "decided_by", "decided_at"]


class DuplicateDecisionSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    other = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="the duplicated project's id (duplicate_of)"
    )
    comment = serializers.CharField(
        max_length=services.COMMENT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="required for duplicate_of",
    )


class SimilarProjectsView(ProjectRecordView):
    @extend_schema(parameters=[PROJECT_ID], responses=SimilarProjectSerializer(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        """Projects of the same jurisdiction (any department and phase, the last three plan years)
        whose title and description resemble this one's, best first. Reviewers and the project's
        department staff."""
        _project, similar = similar_for(request.user, kwargs["id"])
        return Response(SimilarProjectSerializer(similar, many=True).data)


class DuplicateDecisionView(ProjectRecordView):
    refusal_action = "duplicate_decision"

    @extend_schema(
        parameters=[PROJECT_ID],
        request=DuplicateDecisionSerializer,
        responses={201: DuplicateFindingSerializer},
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Record the duplicate check: not a duplicate, or a duplicate of another project (with a comment).

        A reviewer who did not file the project; written to the project's audit chain.
        """
        project = project_for(request.user, kwargs["id"])
        data = valid(DuplicateDecisionSerializer(data=request.data))
        finding = services.duplicate_decide(
            actor=request.user,
            project_id=project.pk,
            verdict=data["verdict"],
            other_project_id=data["other"],
            comment=data["comment"],
        )
        return Response(DuplicateFindingSerializer(finding).data, status=status.HTTP_201_CREATED)
