"""API doors onto negative-list screening: the answers (GET/PUT) and the reviewer's decisions (POST).

Nested under the project (/api/v1/projects/{id}/screening/…); the project is looked up through
`Project.objects.for_user`, so another tenant's project is a 404.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import valid
from projects.api import PROJECT_ID, ProjectRecordView
from projects.screening import services
from projects.screening.selectors import project_screening, screening_lines
from projects.selectors import project_for
from security.tokens import PersonSerializer


class ScreeningLineSerializer(serializers.Serializer):
    code = serializers.CharField(source="item.code")
    clause = serializers.CharField(source="item.clause", help_text="e.g. （一）")
    text = serializers.CharField(source="item.text", help_text="the item verbatim, in the request's language")
    citation = serializers.CharField(source="item.citation", help_text="document number and article")
    answered = serializers.SerializerMethodField()
    applies = serializers.BooleanField(source="answer.applies", allow_null=True, default=None)
    explanation = serializers.CharField(source="answer.explanation", default="")
    answered_by = PersonSerializer(source="answer.answered_by", allow_null=True, default=None)
    answered_at = serializers.DateTimeField(source="answer.answered_at", allow_null=True, default=None)
    reviewed_applies = serializers.BooleanField(
        source="answer.reviewed_applies", allow_null=True, default=None, help_text="null until reviewed"
    )
    review_comment = serializers.CharField(source="answer.review_comment", default="")
    reviewed_by = PersonSerializer(source="answer.reviewed_by", allow_null=True, default=None)
    reviewed_at = serializers.DateTimeField(source="answer.reviewed_at", allow_null=True, default=None)
    hit = serializers.BooleanField(
        help_text="the answer the rules read (the reviewer's once reviewed) applies"
    )

    def get_answered(self, line) -> bool:
        return line.answer is not None


class AnswerSerializer(serializers.Serializer):
    applies = serializers.BooleanField()
    explanation = serializers.CharField(
        max_length=services.TEXT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="required if applies",
    )


class ScreeningAnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=AnswerSerializer(), help_text="item code → answer; items left out keep theirs"
    )


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[services.CONFIRM, services.OVERRULE])
    comment = serializers.CharField(
        max_length=services.TEXT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="required to overrule",
    )


class ScreeningReviewSerializer(serializers.Serializer):
    decisions = serializers.DictField(child=DecisionSerializer(), help_text="item code → decision")


class _ScreeningView(ProjectRecordView):
    def lines(self, project) -> Response:
        return Response(
            ScreeningLineSerializer(screening_lines(project, project_screening(project)), many=True).data
        )


class ScreeningView(_ScreeningView):
    refusal_action = "screening_answer"

    @extend_schema(parameters=[PROJECT_ID], responses=ScreeningLineSerializer(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        """Each negative-list item of the project's measure, with its article and the answer on file."""
        return self.lines(project_for(request.user, kwargs["id"]))

    @extend_schema(
        parameters=[PROJECT_ID],
        request=ScreeningAnswersSerializer,
        responses=ScreeningLineSerializer(many=True),
    )
    def put(self, request: Request, **kwargs) -> Response:
        """Answer items (the project's department, while it is a draft or returned).

        An explanation is required for an item that applies. Answering an item again clears the
        reviewer's decision on it.
        """
        project = project_for(request.user, kwargs["id"])
        data = valid(ScreeningAnswersSerializer(data=request.data))
        services.screening_answer(actor=request.user, project_id=project.pk, answers=data["answers"])
        return self.lines(project)


class ScreeningReviewView(_ScreeningView):
    refusal_action = "screening_review"

    @extend_schema(
        parameters=[PROJECT_ID],
        request=ScreeningReviewSerializer,
        responses=ScreeningLineSerializer(many=True),
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Confirm or overrule answers (a reviewer who did not file the project, while it is declared).

        A comment is required to overrule; the rules then read the reviewer's answer.
        """
        project = project_for(request.user, kwargs["id"])
        data = valid(ScreeningReviewSerializer(data=request.data))
        services.screening_review(actor=request.user, project_id=project.pk, decisions=data["decisions"])
        return self.lines(project)
