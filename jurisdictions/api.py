"""API doors onto jurisdictions: the tenant list, rule packs, what-if evaluation, working days."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import ServiceAPIView, TenantReadOnlyViewSet, valid
from govproj.errors import ValidationFailed
from jurisdictions.models import Jurisdiction, RulePack
from jurisdictions.rules import FactError, evaluate, measure_status
from jurisdictions.rules.schema import Phase
from jurisdictions.selectors import add_working_days, jurisdiction_for, rule_pack, working_calendar
from jurisdictions.serializers import (
    EvaluateRequestSerializer,
    JurisdictionSerializer,
    RulePackQuerySerializer,
    RulePackSerializer,
    RulePackVersionSerializer,
    WorkingDaysQuerySerializer,
)


class JurisdictionViewSet(TenantReadOnlyViewSet):
    queryset = Jurisdiction.objects.prefetch_related("departments").select_related("parent")
    serializer_class = JurisdictionSerializer
    lookup_field = "code"
    pagination_class = None


class RulePackView(ServiceAPIView):
    @extend_schema(
        parameters=[RulePackQuerySerializer],
        responses=RulePackSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        """The rule pack in force (or the given version), with whether its measure is in force."""
        jurisdiction = jurisdiction_for(request.user, code)
        query = valid(RulePackQuerySerializer(data=request.query_params))
        pack = rule_pack(jurisdiction, version=query.get("version"), as_of=timezone.localdate())
        status = measure_status(pack.spec, timezone.localdate())
        return Response(RulePackSerializer(pack, context={"status": status}).data)


class RulePackVersionsView(ServiceAPIView):
    @extend_schema(responses=RulePackVersionSerializer(many=True))
    def get(self, request: Request, code: str) -> Response:
        """Every stored version of the jurisdiction's rule pack, newest first."""
        jurisdiction = jurisdiction_for(request.user, code)
        packs = RulePack.objects.filter(jurisdiction=jurisdiction).order_by("-version")
        return Response(RulePackVersionSerializer(packs, many=True).data)


class EvaluateView(ServiceAPIView):
    @extend_schema(
        request=EvaluateRequestSerializer,
        responses=inline_serializer(
            "EvaluateResponse",
            {
                "jurisdiction": serializers.CharField(),
                "rule_pack": RulePackVersionSerializer(),
                "as_of": serializers.DateField(),
                "measure_status": serializers.DictField(),
                "verdicts": serializers.ListField(child=serializers.DictField()),
                "blocked_transitions": serializers.DictField(),
            },
        ),
    )
    def post(self, request: Request, code: str) -> Response:
        """What-if: run the jurisdiction's rules on posted facts; nothing is stored."""
        jurisdiction = jurisdiction_for(request.user, code)
        data = valid(EvaluateRequestSerializer(data=request.data))
        as_of = data.get("as_of") or timezone.localdate()
        pack = rule_pack(jurisdiction, version=data.get("version"), as_of=as_of)
        spec = pack.spec
        phases, rule_ids = data.get("phases"), data.get("rule_ids")
        errors = {}
        if phases and (unknown := sorted(set(phases) - set(Phase))):
            errors["phases"] = [f"unknown phase: {', '.join(unknown)}"]
        if rule_ids and (unknown := sorted(set(rule_ids) - {rule.id for rule in spec.rules})):
            errors["rule_ids"] = [f"no such rule in {pack.label}: {', '.join(unknown)}"]
        if errors:
            raise ValidationFailed(extra={"errors": errors})
        try:
            verdicts = evaluate(
                spec,
                data["facts"],
                as_of=as_of,
                calendar=working_calendar(jurisdiction),
                phases=phases,
                rule_ids=rule_ids,
            )
        except FactError as exc:
            raise ValidationFailed(
                _("Some facts are not valid."), extra={"errors": {"facts": exc.problems}}
            ) from exc
        blocked: dict[str, list[str]] = {}
        for verdict in verdicts:
            for name in verdict.blocks:
                if verdict.blocks_transition(name):
                    blocked.setdefault(name, []).append(verdict.rule_id)
        return Response(
            {
                "jurisdiction": jurisdiction.code,
                "rule_pack": RulePackVersionSerializer(pack).data,
                "as_of": as_of.isoformat(),
                "measure_status": measure_status(spec, as_of),
                "verdicts": [verdict.to_dict() for verdict in verdicts],
                "blocked_transitions": blocked,
            }
        )


class WorkingDaysView(ServiceAPIView):
    @extend_schema(
        parameters=[WorkingDaysQuerySerializer],
        responses=inline_serializer(
            "WorkingDaysResponse",
            {
                "date": serializers.DateField(),
                "certain": serializers.BooleanField(),
                "unknown_years": serializers.ListField(),
            },
        ),
    )
    def get(self, request: Request, code: str) -> Response:
        """The n-th working day after a date on this jurisdiction's calendar, and whether it is certain."""
        jurisdiction = jurisdiction_for(request.user, code)
        query = valid(WorkingDaysQuerySerializer(data=request.query_params.dict()))
        result = add_working_days(query["start"], query["days"], jurisdiction)
        return Response(
            {
                "date": result.date.isoformat(),
                "certain": result.certain,
                "unknown_years": list(result.unknown_years),
            }
        )
