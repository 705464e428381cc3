"""API doors onto findings (/api/v1/projects/{id}/findings/): what may be recorded, and recording it.

The project is looked up through `Project.objects.for_user` (another tenant's: 404); the service checks
role (403), phase (409), that the measure reads the fact and the input (400).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import valid
from govproj.inputs import TEXT_MAX
from jurisdictions.rules.facts import FACT_SOURCES, FactSource, fact_label
from projects.api import PROJECT_ID, ProjectRecordView
from projects.findings import services
from projects.findings.catalog import facts_to_record
from projects.findings.models import Finding
from projects.findings.selectors import finding_rows
from projects.selectors import pack_for_project, project_for
from security.tokens import PersonSerializer


class FindingSerializer(serializers.ModelSerializer):
    recorded_by = PersonSerializer()
    on_behalf_of = PersonSerializer(allow_null=True)
    value = serializers.BooleanField(allow_null=True, help_text="true, false, or null: not known")

    class Meta:
        model = Finding
        fields = ["id", "fact", "value", "reason", "basis", "recorded_by", "on_behalf_of", "created_at"]


class FindingFactSerializer(serializers.Serializer):
    fact = serializers.CharField()
    label = serializers.CharField(help_text="the fact in the language of the request")
    source = serializers.ChoiceField(
        choices=["decided", "declared"], help_text="decided: a finding; declared: the department's statement"
    )
    value = serializers.BooleanField(allow_null=True)
    may_record = serializers.BooleanField(help_text="whether the caller may record it now")


class FindingsSerializer(serializers.Serializer):
    facts = FindingFactSerializer(many=True, help_text="the findings and statements the measure reads")
    history = FindingSerializer(many=True, help_text="the latest findings, newest first")


class FindingInputSerializer(serializers.Serializer):
    fact = serializers.CharField(max_length=64)
    value = serializers.BooleanField(allow_null=True, help_text="true, false, or null: not known")
    reason = serializers.CharField(max_length=TEXT_MAX)
    basis = serializers.CharField(max_length=services.BASIS_MAX, required=False, allow_blank=True, default="")


def _payload(request, project_id, code=status.HTTP_200_OK) -> Response:
    project = project_for(request.user, project_id)
    spec = pack_for_project(project).spec
    rows, history = finding_rows(
        project, facts_to_record(spec), set(services.recordable(request.user, project, spec))
    )
    data = {
        "facts": [
            {
                "fact": row.fact,
                "label": fact_label(row.fact),
                "source": FactSource.DECIDED
                if FACT_SOURCES[row.fact] is FactSource.DECIDED
                else FactSource.DECLARED,
                "value": row.value,
                "may_record": row.may_record,
            }
            for row in rows
        ],
        "history": history,
    }
    return Response(FindingsSerializer(data).data, status=code)


class FindingsView(ProjectRecordView):
    refusal_action = "finding"

    @extend_schema(parameters=[PROJECT_ID], responses=FindingsSerializer)
    def get(self, request: Request, **kwargs) -> Response:
        """The findings (审核认定) and statements (运行情况) the measure reads, their values and history."""
        return _payload(request, kwargs["id"])

    @extend_schema(
        parameters=[PROJECT_ID], request=FindingInputSerializer, responses={201: FindingsSerializer}
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Record a finding (the approving authority) or a statement about the running system (the
        department, once the project form is closed): the value with its reason and basis."""
        project = project_for(request.user, kwargs["id"])
        data = valid(FindingInputSerializer(data=request.data))
        services.finding_record(actor=request.user, project_id=project.pk, **data)
        return _payload(request, project.pk, status.HTTP_201_CREATED)
