"""API doors onto stored deadlines: a project's deadlines, and waiving one."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import ServiceAPIView, valid
from govproj.inputs import TEXT_MAX
from projects.api import PROJECT_ID, ProjectRecordView
from projects.deadlines import policy, services
from projects.deadlines.models import Deadline, ReminderPolicy
from projects.deadlines.selectors import project_deadlines
from projects.selectors import project_for
from security.tokens import PersonSerializer


class DeadlineSerializer(serializers.ModelSerializer):
    waived_by = PersonSerializer(allow_null=True)
    late = serializers.BooleanField(help_text="met after its due date")

    class Meta:
        model = Deadline
        fields = [
            "id",
            "rule_id",
            "kind",
            "article",
            "title_zh",
            "title_en",
            "message_zh",
            "message_en",
            "opens_on",
            "due_date",
            "done_on",
            "late",
            "status",
            "certain",
            "remind",
            "responsible_role",
            "responsible_department",
            "responsible_name",
            "waived_reason",
            "waived_by",
            "waived_at",
            "escalated_at",
            "rule_pack",
        ]


class WaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX)


DEADLINE_ID = OpenApiParameter("deadline_id", str, OpenApiParameter.PATH, description="the deadline's id")


class DeadlinesView(ProjectRecordView):
    @extend_schema(parameters=[PROJECT_ID], responses=DeadlineSerializer(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        """The project's stored deadlines: overdue first, then open, then met or waived; each with its
        rule, article, due date, who must meet it and whether the working-day calendar was certain."""
        project = project_for(request.user, kwargs["id"])
        return Response(DeadlineSerializer(project_deadlines(project), many=True).data)


class DeadlineWaiveView(ProjectRecordView):
    refusal_action = "deadline_waived"

    @extend_schema(
        parameters=[PROJECT_ID, DEADLINE_ID], request=WaiveSerializer, responses=DeadlineSerializer
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Waive an open or overdue deadline with a reason (the approving authority or the admin)."""
        project = project_for(request.user, kwargs["id"])
        data = valid(WaiveSerializer(data=request.data))
        row = services.deadline_waive(
            actor=request.user,
            project_id=project.pk,
            deadline_id=kwargs["deadline_id"],
            reason=data["reason"],
        )
        return Response(DeadlineSerializer(row).data)


class ReminderPolicySerializer(serializers.ModelSerializer):
    jurisdiction = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ReminderPolicy
        fields = ["jurisdiction", "lead_days", "overdue_every", "escalate_after", "reviewer_lead"]


class ReminderPolicyInputSerializer(serializers.Serializer):
    lead_days = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=policy.LEAD_MAX),
        min_length=1,
        max_length=policy.LEADS_MAX,
        help_text="working days before the due date, e.g. [5, 2, 0]",
    )
    overdue_every = serializers.IntegerField(min_value=1, max_value=policy.EVERY_MAX)
    escalate_after = serializers.IntegerField(min_value=1, max_value=policy.ESCALATE_MAX)
    reviewer_lead = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="a reviewer's user id; null: every reviewer"
    )


JURISDICTION_CODE = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="the jurisdiction's code"
)


class ReminderPolicyView(ServiceAPIView):
    def _jurisdiction(self, request, code):
        from govproj.errors import NotFound
        from jurisdictions.models import Jurisdiction

        found = Jurisdiction.objects.for_user(request.user).filter(code=code).first()
        if found is None:
            raise NotFound()
        return found

    @extend_schema(parameters=[JURISDICTION_CODE], responses=ReminderPolicySerializer)
    def get(self, request: Request, code: str) -> Response:
        """When the jurisdiction's people are reminded of deadlines (the defaults where none is set)."""
        return Response(ReminderPolicySerializer(policy.policy_for(self._jurisdiction(request, code))).data)

    @extend_schema(
        parameters=[JURISDICTION_CODE],
        request=ReminderPolicyInputSerializer,
        responses=ReminderPolicySerializer,
    )
    def put(self, request: Request, code: str) -> Response:
        """Set the reminders (the jurisdiction's administrators): lead times, repeat and escalation."""
        self._jurisdiction(request, code)
        data = valid(ReminderPolicyInputSerializer(data=request.data))
        row = policy.reminder_policy_set(actor=request.user, jurisdiction_code=code, request=request, **data)
        return Response(ReminderPolicySerializer(row).data)
