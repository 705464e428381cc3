"""API doors onto project documents: list and upload, the checklist, download, reject.

Nested under the project (/api/v1/projects/{id}/documents/…); the project is looked up through
`Project.objects.for_user`, so another tenant's project and its documents are a 404.
"""

from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import valid
from projects.api import PROJECT_ID, ProjectRecordView
from projects.documents import services
from projects.documents.content_types import MIME_TYPES
from projects.documents.files import file_response
from projects.documents.models import ProjectDocument
from projects.documents.selectors import (
    codes_on_file,
    document_checklist,
    document_for,
    project_documents,
)
from projects.selectors import PROJECT_ID_MAX, pack_for_project, project_for, project_verdicts
from security.tokens import PersonSerializer  # a person as the API shows one: id, username, full name

DOCUMENT_ID = OpenApiParameter(
    "document_id",
    {"type": "integer", "minimum": 1, "maximum": PROJECT_ID_MAX},
    OpenApiParameter.PATH,
    description="the document's id",
)


class ProjectDocumentSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField(help_text="the document's name in the rule pack, zh and en")
    uploaded_by = PersonSerializer()
    rejected_by = PersonSerializer(allow_null=True)
    current = serializers.BooleanField(source="is_current")
    rejected = serializers.BooleanField(source="is_rejected")
    uploaded_at = serializers.DateTimeField(source="created_at")
    kind = serializers.CharField(help_text="the type read from the content: pdf, ofd, docx, xlsx, …")
    download = serializers.SerializerMethodField(help_text="the permission-checked download URL")

    class Meta:
        model = ProjectDocument
        fields = [
            "id",
            "code",
            "name",
            "version",
            "current",
            "original_name",
            "kind",
            "size",
            "sha256",
            "note",
            "uploaded_by",
            "uploaded_at",
            "rejected",
            "rejected_at",
            "rejected_by",
            "rejection_reason",
            "download",
        ]

    def get_name(self, document) -> dict[str, str]:
        names = self.context.get("names", {})
        return names.get(document.code, {"zh": document.code, "en": document.code})

    def get_download(self, document) -> str:
        return reverse(
            "api:project-document-download", kwargs={"id": document.project_id, "document_id": document.pk}
        )


class DocumentUploadSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=60, help_text="one of the rule pack's `documents`")
    file = serializers.FileField(
        help_text="PDF, OFD, Word, Excel, PNG, JPEG or ZIP, typed by content; at most DOCUMENT_MAX_MB"
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DocumentRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=services.REASON_MAX, help_text="why, shown to the department")


class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField(help_text="required, on_file, missing or not_applicable")
    status_label = serializers.CharField()
    document = serializers.IntegerField(source="document.pk", allow_null=True, default=None)


class ChecklistStageSerializer(serializers.Serializer):
    rule_id = serializers.CharField()
    title = serializers.CharField()
    citation = serializers.CharField(help_text="document number and article")
    outcome = serializers.CharField()
    items = ChecklistItemSerializer(many=True)


def _names(project) -> dict[str, dict[str, str]]:
    spec = pack_for_project(project).spec
    return {d.code: {"zh": d.name.zh, "en": d.name.en} for d in spec.documents}


class DocumentListView(ProjectRecordView):
    parser_classes = [MultiPartParser, FormParser]
    refusal_action = "document_upload"

    @extend_schema(parameters=[PROJECT_ID], responses=ProjectDocumentSerializer(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        """Every version of every document of the project, newest first within each document."""
        project = project_for(request.user, kwargs["id"])
        documents = project_documents(project)
        return Response(
            ProjectDocumentSerializer(documents, many=True, context={"names": _names(project)}).data
        )

    @extend_schema(
        parameters=[PROJECT_ID],
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: ProjectDocumentSerializer},
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Upload a document (the project's department, while it is a draft or returned).

        A new upload of the same `code` supersedes the current one; earlier versions are kept.
        The type is read from the content: a renamed file of another type is refused (400).
        """
        project = project_for(request.user, kwargs["id"])
        data = valid(DocumentUploadSerializer(data=request.data))
        document = services.document_upload(
            actor=request.user,
            project_id=project.pk,
            code=data["code"],
            file=data["file"],
            name=data["file"].name,
            note=data["note"],
        )
        return Response(
            ProjectDocumentSerializer(document, context={"names": _names(project)}).data,
            status=status.HTTP_201_CREATED,
        )


class DocumentChecklistView(ProjectRecordView):
    @extend_schema(parameters=[PROJECT_ID], responses=ChecklistStageSerializer(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        """Per stage and track: each document required, on file, missing or not applicable; the article."""
        project = project_for(request.user, kwargs["id"])
        documents = project_documents(project)
        pack, verdicts = project_verdicts(project, documents=codes_on_file(documents))
        return Response(
            ChecklistStageSerializer(document_checklist(pack, verdicts, documents), many=True).data
        )


class DocumentDownloadView(ProjectRecordView):
    @extend_schema(
        parameters=[PROJECT_ID, DOCUMENT_ID],
        responses={
            # The type the file was found to be by its content (content_types.MIME_TYPES).
            (200, mime): OpenApiResponse(OpenApiTypes.BINARY, description="the file as uploaded")
            for mime in sorted({*MIME_TYPES.values(), "application/octet-stream"})
        },
    )
    def get(self, request: Request, **kwargs) -> FileResponse:
        """The file's bytes, for anyone who may see the project (never a public media URL)."""
        document = document_for(request.user, kwargs["id"], kwargs["document_id"])
        return document_response(document)


def document_response(document: ProjectDocument) -> FileResponse:
    """The stored file streamed as an attachment, under the name it was uploaded with."""
    return file_response(
        document.file, filename=document.original_name, kind=document.kind, sha256=document.sha256
    )


class DocumentRejectView(ProjectRecordView):
    refusal_action = "document_reject"

    @extend_schema(
        parameters=[PROJECT_ID, DOCUMENT_ID],
        request=DocumentRejectSerializer,
        responses={200: ProjectDocumentSerializer},
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Reject the current version of a document, with a reason (a reviewer who did not file the project).

        It no longer counts as on file; the department sees the reason.
        """
        project = project_for(request.user, kwargs["id"])
        data = valid(DocumentRejectSerializer(data=request.data))
        document = services.document_reject(
            actor=request.user,
            project_id=project.pk,
            document_id=kwargs["document_id"],
            reason=data["reason"],
        )
        return Response(ProjectDocumentSerializer(document, context={"names": _names(project)}).data)
