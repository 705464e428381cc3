"""API doors onto 催办: a project's nudges, and sending one (/api/v1/projects/{id}/nudges/).

The project is looked up through `project_for` (another tenant's: 404); the service checks the role
(403), the deadline (404 when not the project's, 409 when met or waived), the message (400) and the
once-a-day rule (409 naming who nudged first and when).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import valid
from projects.api import PROJECT_ID, ProjectRecordView
from projects.nudges import services
from projects.nudges.models import Nudge
from projects.nudges.selectors import project_nudges
from projects.selectors import PROJECT_ID_MAX, project_for
from security.tokens import PersonSerializer


class NudgeSerializer(serializers.ModelSerializer):
    sender = PersonSerializer()
    on_behalf_of = PersonSerializer(allow_null=True, help_text="the reviewer the sender stood in for")
    recipients = PersonSerializer(many=True, help_text="who was told")
    item = serializers.CharField(help_text="the deadline's rule id; empty: the project as a whole")
    item_title = serializers.CharField(help_text="the deadline's title (Chinese); empty for the project")

    class Meta:
        model = Nudge
        fields = [
            "id",
            "deadline",
            "item",
            "item_title",
            "message",
            "sender",
            "on_behalf_of",
            "recipients",
            "day",
            "created_at",
        ]


class NudgeInputSerializer(serializers.Serializer):
    deadline = serializers.IntegerField(
        min_value=1,
        max_value=PROJECT_ID_MAX,
        required=False,
        allow_null=True,
        default=None,
        help_text="one of the project's open or overdue deadlines; none: the project as a whole",
    )
    message = serializers.CharField(max_length=services.MESSAGE_MAX)


class NudgesView(ProjectRecordView):
    refusal_action = "nudge"

    @extend_schema(parameters=[PROJECT_ID], responses=NudgeSerializer(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        """The project's nudges (催办), newest first: about what, the message, who sent it, who was told."""
        project = project_for(request.user, kwargs["id"])
        return Response(NudgeSerializer(project_nudges(project), many=True).data)

    @extend_schema(
        parameters=[PROJECT_ID],
        request=NudgeInputSerializer,
        responses={
            201: NudgeSerializer,
            409: OpenApiResponse(description="nudged today already (who and when), or the deadline is done"),
        },
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Nudge (催办) the people responsible for the project or one of its open or overdue deadlines,
        with a message: a reviewer (or their delegate) or the jurisdiction admin; once per item a day."""
        project = project_for(request.user, kwargs["id"])
        data = valid(NudgeInputSerializer(data=request.data))
        nudge = services.nudge_send(
            actor=request.user, project_id=project.pk, deadline_id=data["deadline"], message=data["message"]
        )
        row = project_nudges(project).get(pk=nudge.pk)
        return Response(NudgeSerializer(row).data, status=status.HTTP_201_CREATED)
