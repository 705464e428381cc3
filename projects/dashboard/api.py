"""The dashboard's numbers as JSON (GET /api/v1/dashboard/): the same aggregates as the page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import ServiceAPIView
from projects.dashboard.selectors import dashboard_for

AMOUNT = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}


class PhaseCountSerializer(serializers.Serializer):
    phase = serializers.CharField()
    label = serializers.CharField(help_text="the phase in the request's language")
    count = serializers.IntegerField()


class InvestmentSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="plan year")
    department_id = serializers.IntegerField()
    department = serializers.CharField()
    count = serializers.IntegerField()
    total_wan = serializers.DecimalField(help_text="total investment in 万元", **AMOUNT)


class PlanCeilingSerializer(serializers.Serializer):
    plan_id = serializers.IntegerField()
    jurisdiction = serializers.CharField(help_text="the jurisdiction's code")
    jurisdiction_name = serializers.CharField()
    year = serializers.IntegerField()
    status = serializers.CharField(help_text="draft, published or revised")
    status_label = serializers.CharField()
    count = serializers.IntegerField(help_text="projects in the plan")
    total_wan = serializers.DecimalField(**AMOUNT)
    ceiling_wan = serializers.DecimalField(allow_null=True, help_text="null: no ceiling set", **AMOUNT)
    over_ceiling_wan = serializers.DecimalField(
        allow_null=True, help_text="null: within the ceiling", **AMOUNT
    )


class ReviewCycleSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM of the approvals")
    count = serializers.IntegerField(help_text="projects approved that month")
    average_days = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        coerce_to_string=True,
        help_text="average calendar days from the first declaration to the approval",
    )


class OverdueSerializer(serializers.Serializer):
    department_id = serializers.IntegerField()
    department = serializers.CharField()
    count = serializers.IntegerField(help_text="overdue deadlines of the department's projects")


class OverviewSerializer(serializers.Serializer):
    by_phase = PhaseCountSerializer(many=True)
    investment = InvestmentSerializer(many=True)
    plans = PlanCeilingSerializer(many=True, help_text="this year's annual plan of each jurisdiction")
    review_cycle = ReviewCycleSerializer(many=True)
    overdue = OverdueSerializer(many=True)


class OmOutcomeSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text="submitted (awaiting the decision), approved, reduced, refused, withdrawn"
    )
    label = serializers.CharField()
    count = serializers.IntegerField()
    requested_wan = serializers.DecimalField(**AMOUNT)
    granted_wan = serializers.DecimalField(**AMOUNT)


class OmAgainstConstructionSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    construction_wan = serializers.DecimalField(help_text="approved projects of the plan year", **AMOUNT)
    om_requested_wan = serializers.DecimalField(help_text="O&M funds asked for that O&M year", **AMOUNT)
    om_granted_wan = serializers.DecimalField(help_text="O&M funds approved that O&M year", **AMOUNT)


class FinanceSerializer(serializers.Serializer):
    om_outcomes = OmOutcomeSerializer(many=True)
    om_against_construction = OmAgainstConstructionSerializer(many=True)


class NextStepSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(["blocked", "ready", "open", "none"])
    text = serializers.CharField()
    article = serializers.CharField(allow_blank=True)


class StaffProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    department = serializers.CharField()
    phase = serializers.CharField()
    phase_label = serializers.CharField()
    total_investment_wan = serializers.DecimalField(**AMOUNT)
    next_step = NextStepSerializer()


class StaffSerializer(serializers.Serializer):
    by_phase = PhaseCountSerializer(many=True)
    projects = StaffProjectSerializer(many=True, help_text="the most recently changed active projects")
    more = serializers.IntegerField(help_text="active projects not listed")


class DashboardSerializer(serializers.Serializer):
    today = serializers.DateField()
    year = serializers.IntegerField()
    overview = OverviewSerializer(
        allow_null=True, help_text="reviewers, admins, auditors, security reviewers"
    )
    finance = FinanceSerializer(allow_null=True, help_text="finance officers")
    staff = StaffSerializer(allow_null=True, help_text="department staff")


class DashboardView(ServiceAPIView):
    @extend_schema(responses=DashboardSerializer)
    def get(self, request: Request) -> Response:
        """The dashboard's aggregates for your roles; a section you have no role for is null.

        Counts cover only the jurisdictions (overview, finance) or departments (staff) your roles cover.
        """
        return Response(DashboardSerializer(dashboard_for(request.user)).data)
