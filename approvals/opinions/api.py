"""API doors onto department opinions (/api/v1/projects/{id}/opinions/…): list, request, add a
signer (加签), answer, re-request. The project is looked up through `project_for`, so another
tenant's project is a 404; each write goes through the service, which checks everything again.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from approvals.opinions import services
from approvals.opinions.models import Answer
from approvals.opinions.selectors import opinion_state, opinions_spec, project_requests
from approvals.opinions.views import answered_label
from govproj.api import valid
from govproj.errors import NotFound
from jurisdictions.rules.schema import TAKER_ROLES
from projects.api import PROJECT_ID, ProjectRecordView
from projects.selectors import pack_for_project, project_for
from security.tokens import PersonSerializer

REQUEST_ID = OpenApiParameter(
    "request_id", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH, description="the request's id"
)


class DepartmentOpinionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField(help_text="the pack item's code, or added-<n> for a signer added (加签)")
    round = serializers.IntegerField()
    name = serializers.DictField(child=serializers.CharField(), help_text='what about: {"zh", "en"}')
    giver = serializers.DictField(
        source="giver_name", child=serializers.CharField(), help_text='the body: {"zh", "en"}'
    )
    department = serializers.CharField(source="department_code", help_text="the body's department code")
    role = serializers.CharField()
    required = serializers.BooleanField()
    citation = serializers.DictField()
    added_by = PersonSerializer(allow_null=True)
    added_reason = serializers.CharField()
    requested_by = PersonSerializer()
    requested_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True, help_text="a later round opened first")
    answer = serializers.CharField(help_text="agree / agree_with_conditions / disagree; empty until answered")
    comment = serializers.CharField()
    file_name = serializers.CharField(help_text="the answer's file (download on the project page)")
    answered_by = PersonSerializer(allow_null=True)
    on_behalf_of = PersonSerializer(allow_null=True, help_text="the delegator, when a delegate answered")
    answered_label = serializers.SerializerMethodField(help_text="「受托人（代委托人）」 or the person")
    answered_at = serializers.DateTimeField(allow_null=True)

    def get_answered_label(self, request) -> str:
        return answered_label(request)


class DepartmentOpinionsSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=["all", "any"], help_text="all must agree, or any one (或签)")
    article = serializers.CharField()
    round = serializers.IntegerField(help_text="the current round (0: never requested)")
    complete = serializers.BooleanField()
    prerequisites_complete_date = serializers.DateField(allow_null=True)
    requests = DepartmentOpinionSerializer(many=True, help_text="every round, latest first")


class DepartmentOpinionRerequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.TEXT_MAX)


class DepartmentOpinionSignerSerializer(serializers.Serializer):
    department = serializers.IntegerField(help_text="the id of a department of the jurisdiction")
    role = serializers.ChoiceField(choices=list(TAKER_ROLES))
    reason = serializers.CharField(max_length=services.TEXT_MAX)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DepartmentOpinionAnswerSerializer(serializers.Serializer):
    answer = serializers.ChoiceField(choices=Answer.values)
    comment = serializers.CharField(
        max_length=services.TEXT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="required to disagree or to agree with conditions",
    )
    file = serializers.FileField(required=False, allow_null=True, default=None)


class _OpinionsView(ProjectRecordView):
    def opinions(self, project) -> Response:
        spec = opinions_spec(pack_for_project(project).spec)
        if spec is None:
            raise NotFound(_("The project's measure asks for no department opinions."))
        requests = project_requests(project)
        state = opinion_state(requests, spec.mode)
        data = {
            "mode": spec.mode,
            "article": spec.citation.article,
            "round": state.round,
            "complete": state.complete,
            "prerequisites_complete_date": state.complete_date,
            "requests": requests,
        }
        return Response(DepartmentOpinionsSerializer(data).data)


class OpinionsView(_OpinionsView):
    @extend_schema(parameters=[PROJECT_ID], responses=DepartmentOpinionsSerializer)
    def get(self, request: Request, **kwargs) -> Response:
        """The project's opinion requests (every round), the mode, and the prerequisites-complete date."""
        return self.opinions(project_for(request.user, kwargs["id"]))


class OpinionRequestView(_OpinionsView):
    refusal_action = "opinions_requested"

    @extend_schema(parameters=[PROJECT_ID], request=None, responses=DepartmentOpinionsSerializer)
    def post(self, request: Request, **kwargs) -> Response:
        """Request every applicable opinion (a reviewer who did not file it; the project in review).

        409 while requests are awaited (re-request instead).
        """
        project = project_for(request.user, kwargs["id"])
        services.request_opinions(actor=request.user, project_id=project.pk)
        return self.opinions(project)


class OpinionRerequestView(_OpinionsView):
    refusal_action = "opinions_rerequested"

    @extend_schema(
        parameters=[PROJECT_ID],
        request=DepartmentOpinionRerequestSerializer,
        responses=DepartmentOpinionsSerializer,
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Open a new round with a reason; the earlier round's answers stay on file."""
        project = project_for(request.user, kwargs["id"])
        data = valid(DepartmentOpinionRerequestSerializer(data=request.data))
        services.rerequest_opinions(actor=request.user, project_id=project.pk, reason=data["reason"])
        return self.opinions(project)


class OpinionSignerView(_OpinionsView):
    refusal_action = "opinion_signer_added"

    @extend_schema(
        parameters=[PROJECT_ID],
        request=DepartmentOpinionSignerSerializer,
        responses=DepartmentOpinionsSerializer,
    )
    def post(self, request: Request, **kwargs) -> Response:
        """加签: ask another department of the jurisdiction (its people of `role`) in the current round."""
        project = project_for(request.user, kwargs["id"])
        data = valid(DepartmentOpinionSignerSerializer(data=request.data))
        services.add_signer(
            actor=request.user,
            project_id=project.pk,
            department_id=data["department"],
            role=data["role"],
            reason=data["reason"],
            name=data["name"],
        )
        return self.opinions(project)


class OpinionAnswerView(_OpinionsView):
    refusal_action = "opinion_answer"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        parameters=[PROJECT_ID, REQUEST_ID],
        request={
            "application/json": DepartmentOpinionAnswerSerializer,
            "multipart/form-data": DepartmentOpinionAnswerSerializer,
        },
        responses=DepartmentOpinionsSerializer,
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Answer a request (someone acting for the body, not a filer), once per round."""
        project = project_for(request.user, kwargs["id"])
        request_id = kwargs["request_id"]
        if not str(request_id).isdigit():
            raise NotFound()
        data = valid(DepartmentOpinionAnswerSerializer(data=request.data))
        services.answer_opinion(
            actor=request.user,
            project_id=project.pk,
            request_id=int(request_id),
            answer=data["answer"],
            comment=data["comment"],
            file=data.get("file"),
        )
        return self.opinions(project)
