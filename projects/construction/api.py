"""API doors onto the construction records (/api/v1/projects/{id}/construction/…). Views parse, call one
service, serialise. Another tenant's project is a 404, a role without the right a 403, a state that does
not allow the action a 409 with `allowed`, a missing document a 400 naming it and its article."""

from __future__ import annotations

from collections.abc import Mapping

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import valid
from projects.api import PROJECT_ID, ProjectRecordView
from projects.construction import services
from projects.construction.models import IncidentKind, ProcurementMethod
from projects.construction.selectors import construction_overview
from projects.selectors import project_for
from security.tokens import PersonSerializer

AMOUNT = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}
INCIDENT = OpenApiParameter("incident", int, OpenApiParameter.PATH, description="the incident report's id")
ERRORS = {
    400: OpenApiResponse(description="bad input, or a document the measure asks for is missing"),
    401: OpenApiResponse(description="not signed in"),
    403: OpenApiResponse(description="your role may not do this"),
    404: OpenApiResponse(description="no such project (or another jurisdiction's) or record"),
    409: OpenApiResponse(description="the project's phase or the record's state does not allow it"),
    429: OpenApiResponse(description="too many requests"),
}


class SupervisionOutSerializer(serializers.Serializer):
    company = serializers.CharField()
    contract_number = serializers.CharField()
    contract_date = serializers.DateField()
    file_name = serializers.CharField()
    recorded_by = PersonSerializer()
    updated_at = serializers.DateTimeField()


class ProcurementOutSerializer(serializers.Serializer):
    started_on = serializers.DateField()
    method = serializers.CharField()
    supplier = serializers.CharField()
    contract_number = serializers.CharField()
    contract_date = serializers.DateField(allow_null=True)
    contract_amount_wan = serializers.DecimalField(allow_null=True, **AMOUNT)
    ip_terms_stated = serializers.BooleanField()
    free_om_years = serializers.DecimalField(
        max_digits=7, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    recorded_by = PersonSerializer()


class ReportOutSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    submitted_on = serializers.DateField()
    on_time = serializers.BooleanField()
    progress = serializers.CharField()
    investment = serializers.CharField()
    problems = serializers.CharField()
    documents = serializers.ListField(child=serializers.DictField())
    submitted_by = PersonSerializer()


class IncidentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    happened = serializers.CharField()
    impact = serializers.CharField()
    measures = serializers.CharField()
    reported_on = serializers.DateField()
    reported_by = PersonSerializer()
    decided_by = PersonSerializer(allow_null=True)
    decision_reason = serializers.CharField()
    rectification_due_date = serializers.DateField(allow_null=True)
    rectification_summary = serializers.CharField()
    confirmed_by = PersonSerializer(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)


class ReportYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    submitted = serializers.BooleanField()
    missing = serializers.BooleanField(help_text="a past year without its report")


class ConstructionSerializer(serializers.Serializer):
    supervision = SupervisionOutSerializer(allow_null=True)
    supervision_status = serializers.CharField(help_text="required, optional, reminder or none")
    supervision_articles = serializers.ListField(child=serializers.CharField())
    procurement = ProcurementOutSerializer(allow_null=True)
    reports = ReportOutSerializer(many=True)
    report_years = ReportYearSerializer(many=True)
    incidents = IncidentOutSerializer(many=True)
    may = serializers.DictField(child=serializers.BooleanField(), help_text="what you may do now")


class SupervisionInSerializer(serializers.Serializer):
    company = serializers.CharField(max_length=200)
    contract_number = serializers.CharField(max_length=100)
    contract_date = serializers.DateField()
    file = serializers.FileField(required=False, allow_null=True, default=None)


class ProcurementInSerializer(serializers.Serializer):
    started_on = serializers.DateField()
    method = serializers.ChoiceField(choices=ProcurementMethod.choices)
    supplier = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contract_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    contract_date = serializers.DateField(required=False, allow_null=True, default=None)
    contract_amount_wan = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    ip_terms_stated = serializers.BooleanField(required=False, default=False)
    free_om_years = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        default=None,
    )


class ReportInSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2200)
    progress = serializers.CharField(max_length=2000)
    investment = serializers.CharField(max_length=2000)
    problems = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    documents = serializers.DictField(
        child=serializers.FileField(),
        required=False,
        default=dict,
        help_text="multipart: one file per document code, as fields named file_<code>",
    )


class IncidentInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IncidentKind.choices)
    happened = serializers.CharField(max_length=2000)
    impact = serializers.CharField(max_length=2000)
    measures = serializers.CharField(max_length=2000)
    file = serializers.FileField(required=False, allow_null=True, default=None)


class RectifyInSerializer(serializers.Serializer):
    due_date = serializers.DateField()
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class ReasonInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


class SummaryInSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=2000, allow_blank=True)


class CommentInSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


def _overview(request, project_id, code=status.HTTP_200_OK) -> Response:
    project = project_for(request.user, project_id)
    found = construction_overview(request.user, project)
    data = {
        "supervision": found["supervision"],
        "supervision_status": found["supervision_status"]["status"],
        "supervision_articles": sorted({v["article"] for v in found["supervision_status"]["verdicts"]}),
        "procurement": found["procurement"],
        "reports": found["reports"],
        "report_years": [
            {"year": line["year"], "submitted": line["report"] is not None, "missing": line["missing"]}
            for line in found["report_years"]
        ],
        "incidents": [item["row"] for item in found["incidents"]],
        "may": found["may"],
    }
    return Response(ConstructionSerializer(data).data, status=code)


PARSERS = [JSONParser, MultiPartParser, FormParser]


class ConstructionView(ProjectRecordView):
    @extend_schema(parameters=[PROJECT_ID], responses={200: ConstructionSerializer, **ERRORS})
    def get(self, request: Request, id) -> Response:
        """The project's construction records: supervision, procurement, yearly reports, incidents."""
        return _overview(request, id)


class SupervisionView(ProjectRecordView):
    refusal_action = "supervision_record"
    parser_classes = PARSERS

    @extend_schema(
        parameters=[PROJECT_ID],
        request={"application/json": SupervisionInSerializer, "multipart/form-data": SupervisionInSerializer},
        responses={201: ConstructionSerializer, **ERRORS},
    )
    def post(self, request: Request, id) -> Response:
        """The department records (or corrects) the supervision contract; supervisor_engaged becomes true."""
        project_for(request.user, id)
        data = valid(SupervisionInSerializer(data=request.data))
        services.supervision_record(actor=request.user, project_id=id, **data)
        return _overview(request, id, status.HTTP_201_CREATED)


class ProcurementView(ProjectRecordView):
    refusal_action = "procurement_record"

    @extend_schema(
        parameters=[PROJECT_ID],
        request=ProcurementInSerializer,
        responses={201: ConstructionSerializer, **ERRORS},
    )
    def post(self, request: Request, id) -> Response:
        """The department records (or corrects) procurement and its contract."""
        project_for(request.user, id)
        data = valid(ProcurementInSerializer(data=request.data))
        services.procurement_record(actor=request.user, project_id=id, **data)
        return _overview(request, id, status.HTTP_201_CREATED)


class ReportView(ProjectRecordView):
    refusal_action = "progress_report_submit"
    parser_classes = PARSERS

    @extend_schema(
        parameters=[PROJECT_ID],
        request={"application/json": ReportInSerializer, "multipart/form-data": ReportInSerializer},
        responses={201: ConstructionSerializer, **ERRORS},
    )
    def post(self, request: Request, id) -> Response:
        """The department submits the report for one year (one per year; 409 for a second); 400 names each
        document of the measure's report contents that is neither given nor on file for that year."""
        project_for(request.user, id)
        raw = request.data  # a JSON body may be any value: the serializer refuses what is not an object
        fields = {k: v for k, v in raw.items() if k != "documents"} if isinstance(raw, Mapping) else raw
        data = valid(ReportInSerializer(data=fields))
        files = {
            key.removeprefix("file_"): value
            for key, value in request.FILES.items()
            if key.startswith("file_") and key != "file_"
        }
        services.progress_report_submit(
            actor=request.user,
            project_id=id,
            year=data["year"],
            progress=data["progress"],
            investment=data["investment"],
            problems=data["problems"],
            files=files,
        )
        return _overview(request, id, status.HTTP_201_CREATED)


class IncidentView(ProjectRecordView):
    refusal_action = "incident_report"
    parser_classes = PARSERS

    @extend_schema(
        parameters=[PROJECT_ID],
        request={"application/json": IncidentInSerializer, "multipart/form-data": IncidentInSerializer},
        responses={201: ConstructionSerializer, **ERRORS},
    )
    def post(self, request: Request, id) -> Response:
        """The department reports a serious delay, major loss or major change to the approver."""
        project_for(request.user, id)
        data = valid(IncidentInSerializer(data=request.data))
        services.incident_report(actor=request.user, project_id=id, **data)
        return _overview(request, id, status.HTTP_201_CREATED)


class _IncidentAction(ProjectRecordView):
    serializer = ReasonInSerializer

    def run(self, request, id, incident, data):  # pragma: no cover - each subclass says
        raise NotImplementedError

    def post(self, request: Request, id, incident) -> Response:
        project_for(request.user, id)
        data = valid(self.serializer(data=request.data))
        self.run(request, id, incident, data)
        return _overview(request, id)


def _doc(summary: str, serializer):
    return extend_schema(
        parameters=[PROJECT_ID, INCIDENT],
        request=serializer,
        responses={200: ConstructionSerializer, **ERRORS},
        description=summary,
    )


class IncidentRectifyView(_IncidentAction):
    refusal_action = "incident_rectify"
    serializer = RectifyInSerializer

    @_doc(
        "The approver orders rectification by a date (after today), with what must be rectified.",
        RectifyInSerializer,
    )
    def post(self, request, id, incident):
        return super().post(request, id, incident)

    def run(self, request, id, incident, data):
        services.incident_order_rectification(actor=request.user, project_id=id, incident_id=incident, **data)


class IncidentSuspendView(_IncidentAction):
    refusal_action = "incident_suspend"

    @_doc(
        "The approver suspends the construction (the project's `suspend`); a reason is required.",
        ReasonInSerializer,
    )
    def post(self, request, id, incident):
        return super().post(request, id, incident)

    def run(self, request, id, incident, data):
        services.incident_suspend(actor=request.user, project_id=id, incident_id=incident, **data)


class IncidentReportDoneView(_IncidentAction):
    refusal_action = "incident_rectified"
    serializer = SummaryInSerializer

    @_doc("The department reports the rectification done, saying what was rectified.", SummaryInSerializer)
    def post(self, request, id, incident):
        return super().post(request, id, incident)

    def run(self, request, id, incident, data):
        services.incident_report_rectified(actor=request.user, project_id=id, incident_id=incident, **data)


class IncidentConfirmView(_IncidentAction):
    refusal_action = "incident_confirm"
    serializer = CommentInSerializer

    @_doc("The approver confirms the rectification (rectification_done_date: today).", CommentInSerializer)
    def post(self, request, id, incident):
        return super().post(request, id, incident)

    def run(self, request, id, incident, data):
        services.incident_confirm_rectified(actor=request.user, project_id=id, incident_id=incident, **data)


class IncidentReturnView(_IncidentAction):
    refusal_action = "incident_return"

    @_doc("The approver returns the rectification as not complete; a reason is required.", ReasonInSerializer)
    def post(self, request, id, incident):
        return super().post(request, id, incident)

    def run(self, request, id, incident, data):
        services.incident_return_rectification(
            actor=request.user, project_id=id, incident_id=incident, **data
        )


INCIDENT_VIEWS = {
    "rectify": IncidentRectifyView,
    "suspend": IncidentSuspendView,
    "report-done": IncidentReportDoneView,
    "confirm": IncidentConfirmView,
    "return": IncidentReturnView,
}
