"""API door onto the reviewer's intake queue (待审核申报): GET /api/v1/intake/queue/.

The decisions themselves are the project's transitions (POST /api/v1/projects/{id}/transitions/
with `return_for_revision`, `enter_library`, `reject`; `withdraw` for the department).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import ServiceAPIView
from projects.intake.selectors import queue_projects, queue_rows


class QueuePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


class ScreeningHitSerializer(serializers.Serializer):
    code = serializers.CharField()
    clause = serializers.CharField(help_text="e.g. （一）")
    text = serializers.CharField(help_text="the item verbatim, in the request's language")
    citation = serializers.CharField(help_text="document number and article")


class MissingDocumentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="in the request's language")


class QueueRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="project.pk")
    code = serializers.CharField(source="project.code")
    title = serializers.CharField(source="project.title")
    jurisdiction = serializers.CharField(source="project.jurisdiction.code")
    department = serializers.CharField(
        source="project.department.name", help_text="in the request's language"
    )
    year = serializers.IntegerField(source="project.year", help_text="plan year")
    total_investment_wan = serializers.DecimalField(
        source="project.total_investment_wan", max_digits=14, decimal_places=2, help_text="in 万元"
    )
    declared_at = serializers.DateTimeField(help_text="the latest declaration (declare or resubmit)")
    age_days = serializers.IntegerField(help_text="whole days since `declared_at`")
    screening_hits = ScreeningHitSerializer(many=True, help_text="negative-list items answered 'applies'")
    missing_documents = MissingDocumentSerializer(many=True, help_text="documents whose absence blocks 入库")
    late = serializers.BooleanField(source="is_late", help_text="an intake deadline was missed (逾期申报)")
    late_messages = serializers.ListField(
        source="late", child=serializers.CharField(), help_text="what each missed intake deadline says"
    )


class IntakeQueueView(ServiceAPIView):
    pagination_class = QueuePagination

    @extend_schema(responses=QueueRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The declared projects of the jurisdictions you review, the longest waiting first (reviewers only).

        Each row: amount, department, days since its latest declaration, negative-list hits, the
        documents missing for library entry and whether the declaration was late. 50 a page
        (`page_size` up to 100); `page` past the end is a 404.
        """
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queue_projects(user=request.user), request, view=self)
        return paginator.get_paginated_response(QueueRowSerializer(queue_rows(page), many=True).data)
