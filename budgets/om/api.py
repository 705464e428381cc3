"""API doors onto the O&M funding applications (/api/v1/projects/{id}/om/…, /api/v1/om/applications/).

Views parse, call one service, serialise. Another tenant's project is a 404, a role without the
right a 403, an application whose state does not allow the action a 409 with `allowed`, bad input or
a rule that withholds the funds a 400 naming the field or the rule and its article.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from budgets.om import services
from budgets.om.answer import Answer, answer_of
from budgets.om.models import OmApplication
from budgets.om.selectors import (
    application_answer,
    eligible,
    finance_jurisdictions,
    finance_queue,
    may,
    recent_decisions,
)
from govproj.api import ServiceAPIView, valid
from govproj.errors import NotFound, NotPermitted, ValidationFailed
from projects.api import PROJECT_ID, ProjectRecordView
from projects.selectors import parsed_project_id, project_for
from security.tokens import PersonSerializer

APPLICATION = OpenApiParameter(
    "application",
    {"type": "integer", "minimum": 1},
    OpenApiParameter.PATH,
    description="the application's id",
)
PAGE = OpenApiParameter(
    "page", int, OpenApiParameter.QUERY, required=False, description="page number, from 1"
)
AMOUNT = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}


class OmLineSerializer(serializers.Serializer):
    rule_id = serializers.CharField()
    level = serializers.CharField(help_text="refuse, attention, pass or not_applicable")
    level_label = serializers.CharField()
    outcome = serializers.CharField()
    title = serializers.CharField(source="title_text")
    message = serializers.CharField(source="message_text")
    article = serializers.CharField()
    citation = serializers.CharField(source="reference")
    effect = serializers.CharField(allow_null=True)
    cap_wan = serializers.DecimalField(allow_null=True, **AMOUNT)


class OmAnswerSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="fundable (可以安排), attention (需关注) or refused (不予安排)")
    label = serializers.CharField()
    cap_wan = serializers.DecimalField(
        allow_null=True, help_text="the annual cap, where one applies", **AMOUNT
    )
    lines = OmLineSerializer(many=True, help_text="each rule, refusing first")


class OmApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    project = serializers.IntegerField(source="project_id")
    year = serializers.IntegerField()
    amount_wan = serializers.DecimalField(**AMOUNT)
    term_years = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=True)
    is_continuation = serializers.BooleanField()
    period_end_date = serializers.DateField(allow_null=True)
    comment = serializers.CharField()
    follows = serializers.IntegerField(source="follows_id", allow_null=True, help_text="the refused one")
    status = serializers.CharField()
    status_label = serializers.CharField()
    created_by = PersonSerializer(allow_null=True)
    submitted_by = PersonSerializer(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_by = PersonSerializer(allow_null=True)
    on_behalf_of = PersonSerializer(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    granted_wan = serializers.DecimalField(allow_null=True, **AMOUNT)
    reason = serializers.CharField()
    pack_version = serializers.IntegerField(
        allow_null=True, help_text="the pack version the decision applied"
    )


class OmApplicationDetailSerializer(serializers.Serializer):
    application = OmApplicationSerializer()
    answer = OmAnswerSerializer(help_text="as decided (stored) for a decided application, else now")
    answer_pack_version = serializers.IntegerField(allow_null=True)
    allowed = serializers.ListField(child=serializers.CharField())
    may = serializers.DictField(child=serializers.BooleanField())


class ProjectOmSerializer(serializers.Serializer):
    eligible = serializers.BooleanField(help_text="in operation, or an O&M-service project")
    applications = OmApplicationSerializer(many=True)
    may = serializers.DictField(child=serializers.BooleanField())


class OmCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2200)
    amount_wan = serializers.DecimalField(max_digits=14, decimal_places=2)
    term_years = serializers.DecimalField(max_digits=5, decimal_places=2)
    is_continuation = serializers.BooleanField(default=False)
    period_end_date = serializers.DateField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(default=False, help_text="submit to the finance officer at once")


class OmCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class OmDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=services.DECISIONS)
    granted_wan = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class OmQueueRowSerializer(serializers.Serializer):
    application = OmApplicationSerializer()
    project_code = serializers.CharField(source="application.project.code")
    project_title = serializers.CharField(source="application.project.title")
    department = serializers.CharField(source="application.project.department.name")
    answer = OmAnswerSerializer(allow_null=True)


class OmQueueSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = OmQueueRowSerializer(many=True)
    decisions = OmQueueRowSerializer(
        many=True, help_text="the latest decisions, with the answers they applied"
    )


def _answer(answer: Answer) -> dict:
    return {"code": answer.code, "label": answer.label, "cap_wan": answer.cap_wan, "lines": answer.shown}


def _project_om(request, project_id) -> Response:
    project = project_for(request.user, project_id)
    rows = list(
        OmApplication.objects.filter(project=project)
        .select_related("created_by", "submitted_by", "decided_by", "on_behalf_of")
        .order_by("-pk")
    )
    open_one = next((a for a in rows if a.status in ("draft", "submitted")), None)
    project_may = may(request.user, project)
    project_may["apply"] = project_may["apply"] and open_one is None
    data = {"eligible": eligible(project), "applications": rows, "may": project_may}
    return Response(ProjectOmSerializer(data).data)


def _application(request, project_id, application_id) -> Response:
    project = project_for(request.user, project_id)
    pk = parsed_project_id(application_id)
    application = (
        OmApplication.objects.filter(project=project, pk=pk)
        .select_related("created_by", "submitted_by", "decided_by", "on_behalf_of")
        .first()
        if pk is not None
        else None
    )
    if application is None:
        raise NotFound()
    answer, version = application_answer(project, application)
    data = {
        "application": application,
        "answer": _answer(answer),
        "answer_pack_version": version,
        "allowed": services.allowed_actions(application),
        "may": may(request.user, project, application),
    }
    return Response(OmApplicationDetailSerializer(data).data)


class ProjectOmView(ProjectRecordView):
    refusal_action = "om_create"

    @extend_schema(parameters=[PROJECT_ID], responses=ProjectOmSerializer, operation_id="v1_projects_om_list")
    def get(self, request: Request, id) -> Response:
        """The project's O&M funding applications (latest first) and what you may do."""
        return _project_om(request, id)

    @extend_schema(
        parameters=[PROJECT_ID],
        request=OmCreateSerializer,
        responses={201: OmApplicationDetailSerializer},
        description="The department drafts (and with `submit`, submits) an application for a year's O&M "
        "funds; one open application a project at a time (409 otherwise).",
    )
    def post(self, request: Request, id) -> Response:
        data = dict(valid(OmCreateSerializer(data=request.data)))
        submit = data.pop("submit")
        application = services.om_create(actor=request.user, project_id=id, **data)
        if submit:
            services.om_submit(actor=request.user, project_id=id, application_id=application.pk)
        response = _application(request, id, application.pk)
        response.status_code = 201
        return response


class _ApplicationView(ProjectRecordView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if parsed_project_id(kwargs["application"]) is None:
            raise ValidationFailed(extra={"errors": {"application": ["not a whole number from 1"]}})


class ApplicationView(_ApplicationView):
    @extend_schema(
        parameters=[PROJECT_ID, APPLICATION],
        responses=OmApplicationDetailSerializer,
        operation_id="v1_projects_om_application_retrieve",
    )
    def get(self, request: Request, id, application) -> Response:
        """One application with the overall answer and each rule's verdict and article."""
        return _application(request, id, application)


class ApplicationSubmitView(_ApplicationView):
    refusal_action = "om_submit"

    @extend_schema(
        parameters=[PROJECT_ID, APPLICATION],
        request=OmCommentSerializer,
        responses=OmApplicationDetailSerializer,
        description="The department submits a draft; 400 names a missing document and its article.",
    )
    def post(self, request: Request, id, application) -> Response:
        data = valid(OmCommentSerializer(data=request.data))
        services.om_submit(actor=request.user, project_id=id, application_id=application, **data)
        return _application(request, id, application)


class ApplicationWithdrawView(_ApplicationView):
    refusal_action = "om_withdraw"

    @extend_schema(
        parameters=[PROJECT_ID, APPLICATION],
        request=OmCommentSerializer,
        responses=OmApplicationDetailSerializer,
        description="The department withdraws an application not yet decided.",
    )
    def post(self, request: Request, id, application) -> Response:
        data = valid(OmCommentSerializer(data=request.data))
        services.om_withdraw(actor=request.user, project_id=id, application_id=application, **data)
        return _application(request, id, application)


class ApplicationDecideView(_ApplicationView):
    refusal_action = "om_decide"

    @extend_schema(
        parameters=[PROJECT_ID, APPLICATION],
        request=OmDecideSerializer,
        responses=OmApplicationDetailSerializer,
        description="The finance officer approves, reduces (`granted_wan` below the request) or refuses; "
        "a reason is required to reduce or refuse. 400 when a rule withholds the funds at the amount "
        "granted (naming it and its article); whoever filed the application may not decide it (403).",
    )
    def post(self, request: Request, id, application) -> Response:
        data = valid(OmDecideSerializer(data=request.data))
        services.om_decide(actor=request.user, project_id=id, application_id=application, **data)
        return _application(request, id, application)


class QueueView(ServiceAPIView):
    @extend_schema(parameters=[PAGE], responses=OmQueueSerializer)
    def get(self, request: Request) -> Response:
        """The finance officer's queue: submitted applications of your jurisdictions, the soonest year
        first, each with its overall answer; and the latest decisions (finance officers only)."""
        jurisdictions = finance_jurisdictions(request.user)
        if jurisdictions is not None and not jurisdictions:
            raise NotPermitted()
        raw = request.query_params.get("page", "1")
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= 10**9:
            raise ValidationFailed(extra={"errors": {"page": ["a whole number from 1"]}})
        page = finance_queue(request.user, int(raw))
        decisions = [
            {"application": a, "answer": _answer(answer_of(a.verdicts))}
            for a in recent_decisions(request.user)
        ]
        data = {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [
                {"application": row.application, "answer": _answer(row.answer) if row.answer else None}
                for row in page.object_list
            ],
            "decisions": decisions,
        }
        return Response(OmQueueSerializer(data).data)
