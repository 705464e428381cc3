"""API doors onto decommissioning (/api/v1/projects/{id}/decommission/…): the stop plan, data disposals,
the asset disposal, the filings, the decommissioning itself and the system flags.

The project is looked up through `Project.objects.for_user` (another tenant's: 404); the services check
role and phase (403, 409), the gate names what is missing (400), and the input (400).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import valid
from projects.api import PROJECT_ID, ProjectRecordView
from projects.decommission import services
from projects.decommission.models import DataDisposal, Decommission, DisposalAction
from projects.selectors import project_for
from security.tokens import PersonSerializer

TEXT_MAX = services.TEXT_MAX


class DataDisposalRowSerializer(serializers.ModelSerializer):
    recorded_by = PersonSerializer()

    class Meta:
        model = DataDisposal
        fields = [
            "id",
            "data_kind",
            "action",
            "done_by",
            "done_on",
            "verification",
            "recorded_by",
            "recorded_at",
        ]


class DecommissionRecordSerializer(serializers.ModelSerializer):
    planned_by = PersonSerializer()

    class Meta:
        model = Decommission
        fields = [
            "id",
            "status",
            "reason",
            "planned_stop_on",
            "successor",
            "planned_by",
            "planned_at",
            "assets_disposal",
            "assets_recorded_at",
            "data_bureau_reference",
            "data_bureau_filed_at",
            "finance_reference",
            "finance_filed_at",
            "completed_at",
        ]


class DecommissionSerializer(serializers.Serializer):
    phase = serializers.CharField()
    record = DecommissionRecordSerializer(allow_null=True)
    disposals = DataDisposalRowSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField(), help_text="what is still to record")
    is_zombie = serializers.BooleanField()
    replaceable_by_unified_system = serializers.BooleanField()
    allowed = serializers.ListField(
        child=serializers.CharField(), help_text="actions the caller may take now"
    )


def _payload(request, project_id, code=status.HTTP_200_OK) -> Response:
    project = project_for(request.user, project_id)
    record = Decommission.objects.filter(project=project).select_related("planned_by").first()
    disposals = (
        list(DataDisposal.objects.filter(decommission=record).select_related("recorded_by")) if record else []
    )
    facts = project.facts or {}
    data = {
        "phase": project.phase,
        "record": record,
        "disposals": disposals,
        "missing": services.missing_steps(record, len(disposals)) if project.phase == "in_operation" else [],
        "is_zombie": bool(facts.get("is_zombie")),
        "replaceable_by_unified_system": bool(facts.get("replaceable_by_unified_system")),
        "allowed": services.allowed_actions(request.user, project, record),
    }
    return Response(DecommissionSerializer(data).data, status=code)


class DecommissionPlanSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX)
    planned_stop_on = serializers.DateField()
    successor = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DataDisposalInputSerializer(serializers.Serializer):
    data_kind = serializers.CharField(max_length=200)
    action = serializers.ChoiceField(choices=DisposalAction.choices)
    done_by = serializers.CharField(max_length=200)
    done_on = serializers.DateField()
    verification = serializers.CharField(max_length=TEXT_MAX)


class DecommissionAssetsSerializer(serializers.Serializer):
    disposal = serializers.CharField(max_length=TEXT_MAX)


class DecommissionFilingSerializer(serializers.Serializer):
    body = serializers.ChoiceField(choices=["data_bureau", "finance"])
    reference = serializers.CharField(max_length=100)


class DecommissionCompleteSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class SystemFlagSerializer(serializers.Serializer):
    flag = serializers.ChoiceField(
        choices=sorted(services.FLAGS), help_text="zombie (停用、僵尸系统) or replaceable"
    )
    on = serializers.BooleanField()
    reason = serializers.CharField(max_length=TEXT_MAX)


class DecommissionView(ProjectRecordView):
    @extend_schema(parameters=[PROJECT_ID], responses=DecommissionSerializer)
    def get(self, request: Request, **kwargs) -> Response:
        """The stop plan, data disposals, asset disposal and filings; what is missing; the system flags."""
        return _payload(request, kwargs["id"])


def _door(serializer_class, call, action: str, doc: str, code=status.HTTP_200_OK):
    class View(ProjectRecordView):
        refusal_action = action

        @extend_schema(
            parameters=[PROJECT_ID], request=serializer_class, responses={code: DecommissionSerializer}
        )
        def post(self, request: Request, **kwargs) -> Response:
            project = project_for(request.user, kwargs["id"])
            data = valid(serializer_class(data=request.data))
            call(actor=request.user, project_id=project.pk, **data)
            return _payload(request, project.pk, code)

    View.post.__doc__ = doc
    View.__name__ = View.__qualname__ = f"Decommission{action.title().replace('_', '')}View"
    return View


PlanView = _door(
    DecommissionPlanSerializer,
    services.decommission_plan,
    "decommission_plan",
    "The stop plan (停用方案); again to amend it.",
)
DataDisposalView = _door(
    DataDisposalInputSerializer,
    services.data_disposal_record,
    "data_disposal",
    "One kind of data: backed up, migrated or destroyed; who, when, how verified.",
    status.HTTP_201_CREATED,
)
AssetsView = _door(
    DecommissionAssetsSerializer,
    services.assets_disposal_record,
    "asset_disposal",
    "The asset disposal record.",
)
FilingView = _door(
    DecommissionFilingSerializer,
    services.decommission_filing,
    "decommission_filing",
    "The filing with the data bureau or the finance bureau, acknowledged, with its reference.",
)
CompleteView = _door(
    DecommissionCompleteSerializer,
    services.decommission_complete,
    "decommission",
    "The master decommission transition: refused (400) naming what is missing until all is recorded.",
)
FlagView = _door(
    SystemFlagSerializer,
    services.system_flag,
    "system_flag",
    "Flag or unflag a system as stopped/zombie (is_zombie) or replaceable (replaceable_by_unified_system).",
)
