"""API doors onto reports (/api/v1/reports/…, /api/v1/projects/{id}/reports/).

The same actions as the pages: list what one sees, request a report (queued; the build runs in
Celery), read its status and progress, download the file when done, retry a failed one; and per
project, what can be printed now. Errors: 400 unknown kind or subject shape, 403 a role the kind
does not allow, 404 another tenant's project or report, 409 a subject that cannot be printed now
(the printable ones in `allowed`) or a retry of a report that has not failed.
"""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import ServiceAPIView, valid
from govproj.errors import NotFound, ValidationFailed
from projects.api import PROJECT_ID, ProjectRecordView
from projects.documents.files import file_response
from projects.reports import services
from projects.reports.kinds import KINDS
from projects.reports.models import Report
from projects.reports.selectors import printable, report_for, reports_for
from projects.selectors import PROJECT_ID_MAX, project_for
from security.tokens import PersonSerializer

REPORT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the report's id")
LIST_LIMIT = 100


class ReportSerializer(serializers.ModelSerializer):
    requested_by = PersonSerializer()
    jurisdiction = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind_label = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    rule_pack_version = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "jurisdiction",
            "project",
            "kind",
            "kind_label",
            "subject_key",
            "subject_label",
            "title",
            "document_number",
            "rule_pack_version",
            "status",
            "status_label",
            "progress",
            "step",
            "error",
            "attempts",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "file_name",
            "size",
            "sha256",
            "download",
        ]

    def get_kind_label(self, report: Report) -> str:
        kind = KINDS.get(report.kind)
        return str(kind.label) if kind else report.kind

    def get_status_label(self, report: Report) -> str:
        return str(report.status_label())

    def get_rule_pack_version(self, report: Report) -> int | None:
        return report.rule_pack.version if report.rule_pack_id else None

    def get_download(self, report: Report) -> str | None:
        """The file's API address once the report is done."""
        return f"/api/v1/reports/{report.pk}/file/" if report.downloadable else None


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[], help_text="the report kind")
    project = serializers.IntegerField(
        min_value=1, max_value=PROJECT_ID_MAX, required=False, allow_null=True, default=None
    )
    jurisdiction = serializers.SlugField(
        max_length=40, required=False, allow_blank=True, default="", help_text="for a jurisdiction's report"
    )
    subject = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        default="",
        help_text="the subject's key (from …/reports/printable/); may be left out when there is one",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = sorted(KINDS)  # every kind registered at start-up


class SubjectSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class PrintableSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    subjects = SubjectSerializer(many=True)
    unavailable = serializers.CharField(help_text="why nothing can be printed yet (when `subjects` is empty)")


class ReportListView(ServiceAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("project", OpenApiTypes.INT, description="only this project's reports"),
            OpenApiParameter("kind", OpenApiTypes.STR, description="only this kind"),
        ],
        responses=ReportSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """The reports you see, newest first (at most 100): yours, your projects', your jurisdiction's."""
        rows = reports_for(request.user).order_by("-created_at", "-pk")
        project = request.query_params.get("project")
        if project:
            rows = rows.filter(project_id=project_for(request.user, project).pk)
        kind = request.query_params.get("kind")
        if kind:
            if kind not in KINDS:
                raise ValidationFailed(extra={"errors": {"kind": [f"one of: {', '.join(sorted(KINDS))}"]}})
            rows = rows.filter(kind=kind)
        return Response(ReportSerializer(rows[:LIST_LIMIT], many=True).data)

    @extend_schema(
        request=ReportRequestSerializer,
        responses={
            201: ReportSerializer,
            200: OpenApiResponse(ReportSerializer, description="the same report is being prepared already"),
            409: OpenApiResponse(
                description="nothing of this kind can be printed now; `allowed` lists what can"
            ),
        },
    )
    def post(self, request: Request) -> Response:
        """Request a report: queued at once, built by a worker; poll …/reports/{id}/ for its progress."""
        data = valid(ReportRequestSerializer(data=request.data))
        report = services.report_request(
            actor=request.user,
            kind=data["kind"],
            project_id=data["project"],
            jurisdiction=data["jurisdiction"],
            subject=data["subject"],
        )
        joined = report.joined
        report.refresh_from_db()
        return Response(
            ReportSerializer(report).data, status=status.HTTP_200_OK if joined else status.HTTP_201_CREATED
        )


class ReportDetailView(ServiceAPIView):
    @extend_schema(parameters=[REPORT_ID], responses=ReportSerializer)
    def get(self, request: Request, **kwargs) -> Response:
        """A report's status, progress and (once done) its file's size, SHA-256 and address."""
        return Response(ReportSerializer(report_for(request.user, kwargs["id"])).data)


class ReportFileView(ServiceAPIView):
    @extend_schema(
        parameters=[REPORT_ID],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="the PDF"),
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="the dossier"),
        },
    )
    def get(self, request: Request, **kwargs) -> FileResponse:
        """The report's file (PDF, or the dossier's ZIP), once done; 404 before."""
        report = report_for(request.user, kwargs["id"])
        if not report.downloadable:
            raise NotFound()
        return file_response(
            report.file,
            filename=report.file_name,
            sha256=report.sha256,
        )


class ReportRetryView(ServiceAPIView):
    @extend_schema(
        parameters=[REPORT_ID],
        request=None,
        responses={200: ReportSerializer, 409: OpenApiResponse(description="the report has not failed")},
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Build a failed report again (it keeps the rule-pack version it was requested with)."""
        report = services.report_retry(actor=request.user, report_id=kwargs["id"])
        report.refresh_from_db()
        return Response(ReportSerializer(report).data)


class ProjectPrintableView(ProjectRecordView):
    @extend_schema(parameters=[PROJECT_ID], responses=PrintableSerializer(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        """What you can print about the project now: each kind with its subjects (keys for POST /reports/)."""
        project = project_for(request.user, kwargs["id"])
        return Response(
            [
                {
                    "kind": kind.code,
                    "label": str(kind.label),
                    "subjects": [{"key": s.key, "label": s.label} for s in subjects],
                    "unavailable": "" if subjects else str(kind.unavailable),
                }
                for kind, subjects in printable(request.user, project)
            ]
        )
