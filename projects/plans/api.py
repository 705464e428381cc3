"""API doors onto the annual plan (/api/v1/plans/…). Views parse, call one service, serialise.

Plans are looked up through `AnnualPlan.objects.for_user`, so another tenant's plan is a 404; a
role without the right is a 403; an action the plan's state does not allow is a 409 with `allowed`.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import ServiceAPIView, valid
from govproj.errors import NotFound
from jurisdictions.models import Jurisdiction
from projects.plans import services
from projects.plans.selectors import plan_entries, plan_for, plan_totals, plans_for
from projects.selectors import PROJECT_ID_MAX
from security.tokens import PersonSerializer

PLAN_ID = OpenApiParameter(
    "id", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH, description="the plan's id"
)
PROJECT_ID = OpenApiParameter(
    "project_id", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH, description="the project's id"
)
AMOUNT = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    jurisdiction = serializers.CharField(source="jurisdiction.code")
    year = serializers.IntegerField()
    status = serializers.CharField(help_text="draft, published or revised (being revised after publishing)")
    status_label = serializers.CharField(help_text="the status in the request's language")
    ceiling_wan = serializers.DecimalField(allow_null=True, help_text="optional ceiling in 万元", **AMOUNT)
    revision = serializers.IntegerField(help_text="how many times the plan has been published")
    published_by = PersonSerializer(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    entry_count = serializers.IntegerField(required=False)
    total_wan = serializers.DecimalField(required=False, **AMOUNT)
    allowed = serializers.SerializerMethodField(help_text="the actions the plan's state allows now")

    def get_allowed(self, plan) -> list[str]:
        return services.allowed_actions(plan)


class EntryProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    department = serializers.CharField(source="department.name")
    total_investment_wan = serializers.DecimalField(**AMOUNT)
    funding_source = serializers.CharField()
    phase = serializers.CharField()


class EntrySerializer(serializers.Serializer):
    project = EntryProjectSerializer()
    added_by = PersonSerializer()
    added_at = serializers.DateTimeField()
    is_emergency = serializers.BooleanField(help_text="an emergency addition (紧急增补)")
    approved_by = serializers.CharField(help_text="who agreed (emergency additions)")
    approval_document_no = serializers.CharField()
    approval_date = serializers.DateField(allow_null=True)


class TotalLineSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="department id or funding source code")
    label = serializers.CharField()
    count = serializers.IntegerField()
    total_wan = serializers.DecimalField(**AMOUNT)


class TotalsSerializer(serializers.Serializer):
    by_department = TotalLineSerializer(many=True)
    by_funding_source = TotalLineSerializer(many=True)
    count = serializers.IntegerField()
    total_wan = serializers.DecimalField(**AMOUNT)
    ceiling_wan = serializers.DecimalField(allow_null=True, **AMOUNT)
    over_ceiling_wan = serializers.DecimalField(
        allow_null=True, help_text="how far the total exceeds the ceiling", **AMOUNT
    )


class PlanDetailSerializer(PlanSerializer):
    entries = EntrySerializer(many=True)
    totals = TotalsSerializer()


class PlanCreateSerializer(serializers.Serializer):
    jurisdiction = serializers.SlugField(help_text="the jurisdiction's code")
    year = serializers.IntegerField(min_value=services.YEAR_MIN, max_value=services.YEAR_MAX)
    ceiling_wan = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )


class EntryCreateSerializer(serializers.Serializer):
    project = serializers.IntegerField(
        min_value=1, max_value=PROJECT_ID_MAX, help_text="a library project's id"
    )


class EmergencySerializer(EntryCreateSerializer):
    approved_by = serializers.CharField(max_length=services.TEXT_MAX, help_text="who agreed, e.g. 区政府")
    approval_document_no = serializers.CharField(max_length=services.TEXT_MAX, help_text="文号")
    approval_date = serializers.DateField()


def _detail(plan, *, status_code=status.HTTP_200_OK) -> Response:
    entries = list(plan_entries(plan))
    totals = plan_totals(plan)
    plan.entry_count, plan.total_wan = totals.count, totals.total_wan
    data = {
        **PlanSerializer(plan).data,
        "entries": EntrySerializer(entries, many=True).data,
        "totals": TotalsSerializer(totals).data,
    }
    return Response(data, status=status_code)


class PlanListView(ServiceAPIView):
    @extend_schema(responses=PlanSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The annual plans you may see, newest year first (staff: published plans only)."""
        return Response(PlanSerializer(plans_for(request.user), many=True).data)

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanDetailSerializer})
    def post(self, request: Request) -> Response:
        """Start a draft plan for a jurisdiction and year (its reviewers; one plan per year)."""
        data = valid(PlanCreateSerializer(data=request.data))
        jurisdiction = Jurisdiction.objects.for_user(request.user).filter(code=data["jurisdiction"]).first()
        if jurisdiction is None:
            raise NotFound()
        plan = services.plan_create(
            actor=request.user, jurisdiction=jurisdiction, year=data["year"], ceiling_wan=data["ceiling_wan"]
        )
        return _detail(plan_for(request.user, plan.pk), status_code=status.HTTP_201_CREATED)


class PlanDetailView(ServiceAPIView):
    @extend_schema(parameters=[PLAN_ID], responses=PlanDetailSerializer)
    def get(self, request: Request, id) -> Response:
        """The plan with its projects and totals by department and funding source against the ceiling."""
        return _detail(plan_for(request.user, id))


class PlanEntriesView(ServiceAPIView):
    @extend_schema(parameters=[PLAN_ID], request=EntryCreateSerializer, responses={201: PlanDetailSerializer})
    def post(self, request: Request, id) -> Response:
        """Add a library project of the jurisdiction to a plan being compiled or revised."""
        plan = plan_for(request.user, id)
        data = valid(EntryCreateSerializer(data=request.data))
        services.plan_add_project(actor=request.user, plan_id=plan.pk, project_id=data["project"])
        return _detail(plan_for(request.user, id), status_code=status.HTTP_201_CREATED)


class PlanEntryView(ServiceAPIView):
    @extend_schema(parameters=[PLAN_ID, PROJECT_ID], request=None, responses={204: None})
    def delete(self, request: Request, id, project_id) -> Response:
        """Take a project out of a plan being compiled or revised (not one already planned)."""
        plan = plan_for(request.user, id)
        services.plan_remove_project(actor=request.user, plan_id=plan.pk, project_id=_number(project_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _number(value) -> int:
    text = str(value)
    if not (text.isascii() and text.isdecimal()) or not 1 <= int(text) <= PROJECT_ID_MAX:
        raise NotFound()
    return int(text)


class PlanPublishView(ServiceAPIView):
    @extend_schema(parameters=[PLAN_ID], request=None, responses=PlanDetailSerializer)
    def post(self, request: Request, id) -> Response:
        """Publish: every project of the plan still in the library moves to `planned`, all or none.

        400 names every project a rule blocks, with the verdict and article; 409 when already published.
        """
        plan = plan_for(request.user, id)
        services.plan_publish(actor=request.user, plan_id=plan.pk)
        return _detail(plan_for(request.user, id))


class PlanReviseView(ServiceAPIView):
    @extend_schema(parameters=[PLAN_ID], request=None, responses=PlanDetailSerializer)
    def post(self, request: Request, id) -> Response:
        """Reopen a published plan to add or remove projects; publish it again to move the new ones."""
        plan = plan_for(request.user, id)
        services.plan_revise(actor=request.user, plan_id=plan.pk)
        return _detail(plan_for(request.user, id))


class PlanEmergencyView(ServiceAPIView):
    @extend_schema(parameters=[PLAN_ID], request=EmergencySerializer, responses={201: PlanDetailSerializer})
    def post(self, request: Request, id) -> Response:
        """Emergency addition (紧急增补) to a published plan: the project is planned at once.

        Only where the measure provides for it (e.g. 红山 第十条), with who agreed (the body the
        measure names), the document number and the date; a jurisdiction without such an article is a 400.
        """
        plan = plan_for(request.user, id)
        data = valid(EmergencySerializer(data=request.data))
        services.plan_emergency_add(
            actor=request.user,
            plan_id=plan.pk,
            project_id=data["project"],
            approved_by=data["approved_by"],
            approval_document_no=data["approval_document_no"],
            approval_date=data["approval_date"],
        )
        return _detail(plan_for(request.user, id), status_code=status.HTTP_201_CREATED)
