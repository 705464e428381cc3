"""API door onto delegations (代理审批): list and create yours, end one early."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from approvals.delegation import services
from approvals.delegation.models import Delegation
from govproj.api import ServiceAPIView, valid
from govproj.errors import ValidationFailed
from security.selectors import person_name


class DelegationSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code")
    delegator_name = serializers.SerializerMethodField()
    delegate_name = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = Delegation
        fields = [
            "id",
            "jurisdiction",
            "delegator",
            "delegator_name",
            "delegate",
            "delegate_name",
            "starts_on",
            "ends_on",
            "reason",
            "ended_at",
            "ended_by",
            "in_force",
        ]
        read_only_fields = fields

    def get_delegator_name(self, delegation) -> str:
        return person_name(delegation.delegator)

    def get_delegate_name(self, delegation) -> str:
        return person_name(delegation.delegate)

    def get_in_force(self, delegation) -> bool:
        """Not ended early and today within the dates."""
        return not services.is_over(delegation) and delegation.starts_on <= timezone.localdate()


class DelegationCreateSerializer(serializers.Serializer):
    jurisdiction = serializers.IntegerField(
        required=False, help_text="its id; default: the one jurisdiction where you decide"
    )
    delegate = serializers.IntegerField(help_text="the user id of a person holding your role there")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reason = serializers.CharField(max_length=200)


class DelegationListView(ServiceAPIView):
    @extend_schema(responses=DelegationSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Delegations you gave or received (and, for a jurisdiction admin, all of the jurisdiction's)."""
        delegations = services.delegations_for(request.user).select_related(
            "jurisdiction", "delegator", "delegate"
        )
        return Response(DelegationSerializer(delegations, many=True).data)

    @extend_schema(request=DelegationCreateSerializer, responses={201: DelegationSerializer})
    def post(self, request: Request) -> Response:
        """Delegate your deciding work to a colleague of the same role and jurisdiction for a date range.

        403 for a role that decides nothing; 400 for yourself, another jurisdiction's person, a
        person without your role, dates overlapping one of your delegations, an end before the start,
        a start in the past, or no reason.
        """
        data = valid(DelegationCreateSerializer(data=request.data))
        jurisdictions = services.delegating_jurisdictions(request.user)
        jurisdiction_id = data.get("jurisdiction") or (jurisdictions[0] if len(jurisdictions) == 1 else None)
        if jurisdictions and jurisdiction_id not in jurisdictions:
            raise ValidationFailed(
                extra={"errors": {"jurisdiction": ["not a jurisdiction where you decide"]}}
            )
        delegation = services.delegation_create(
            actor=request.user,
            jurisdiction_id=jurisdiction_id or 0,
            delegate_id=data["delegate"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            reason=data["reason"],
            request=request,
        )
        return Response(DelegationSerializer(delegation).data, status=status.HTTP_201_CREATED)


class DelegationEndView(ServiceAPIView):
    @extend_schema(request=None, responses=DelegationSerializer)
    def post(self, request: Request, id: str) -> Response:
        """End a delegation early (its delegator or the jurisdiction admin): 403 for the delegate, 404 for
        people it does not concern, 409 when it has already ended."""
        delegation = services.delegation_end(actor=request.user, delegation_id=id, request=request)
        return Response(DelegationSerializer(delegation).data)
