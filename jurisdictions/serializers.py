import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jurisdictions.models import Department, Jurisdiction, RulePack
from jurisdictions.rules.facts import (
    FACT_DATE_MAX,
    FACT_DATE_MIN,
    FACT_DECIMAL_PLACES,
    FACT_NUMBER_MAX,
    FACT_TEXT_MAX,
    FACTS,
    FactType,
)

# A pack or working-day version number fits the database's integer column.
VERSION_MAX = 2**31 - 1
_DATE_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def supported_date(value: dt.date) -> None:
    """Dates the rules and the calendar can compute with (1900–2200), so nothing overflows."""
    if not FACT_DATE_MIN <= value <= FACT_DATE_MAX:
        raise serializers.ValidationError(f"must be between {FACT_DATE_MIN} and {FACT_DATE_MAX}")


def _fact_schema(kind: FactType, meaning: str, *, request: bool) -> dict[str, Any]:
    """One fact's OpenAPI schema; requests get the bounds the API checks, responses what is stored."""
    text: dict[str, Any] = {"type": "string", "maxLength": FACT_TEXT_MAX}
    schemas: dict[FactType, dict[str, Any]] = {
        FactType.BOOLEAN: {"type": "boolean"},
        FactType.INTEGER: {"type": "integer", "minimum": -FACT_NUMBER_MAX, "maximum": FACT_NUMBER_MAX},
        FactType.STRING: text,
        FactType.STRING_SET: {"type": "array", "items": text, "maxItems": FACT_TEXT_MAX},
        FactType.BOOLEAN_MAP: {
            "type": "object",
            "additionalProperties": {"type": "boolean"},
            "maxProperties": FACT_TEXT_MAX,
        },
        # A decimal travels as a string ("120.50", exact) or, in requests, as a JSON number.
        FactType.DECIMAL: {
            "type": "string",
            "pattern": rf"^-?[0-9]{{1,12}}(\.[0-9]{{1,{FACT_DECIMAL_PLACES}}})?$",
        },
        FactType.DATE: {"type": "string", "format": "date", "pattern": _DATE_PATTERN},
    }
    schema = dict(schemas[kind])
    if not request and kind is FactType.DECIMAL:
        schema = {}  # stored as sent: a number or a string
    elif not request and kind is FactType.DATE:
        schema = {"type": "string", "format": "date"}
    return {**schema, "nullable": True, "description": f"{kind.value}: {meaning}"}


def facts_schema(*, request: bool) -> dict[str, Any]:
    """The fact vocabulary (jurisdictions.rules.facts.FACTS) as an OpenAPI object."""
    return {
        "type": "object",
        "description": "fact name → value; null means unknown (in a PATCH: remove the fact)",
        "properties": {
            name: _fact_schema(kind, meaning, request=request)
            for name, (kind, meaning) in sorted(FACTS.items())
        },
        "additionalProperties": not request,
    }


@extend_schema_field(facts_schema(request=True), component_name="Facts")
class FactsField(serializers.DictField):
    """Facts sent by a client; checked against the vocabulary by the service or the engine."""


@extend_schema_field(facts_schema(request=False), component_name="StoredFacts")
class StoredFactsField(serializers.JSONField):
    """Facts as recorded on a project."""


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name_zh", "name_en"]


class JurisdictionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    departments = DepartmentSerializer(many=True, read_only=True)

    class Meta:
        model = Jurisdiction
        fields = ["code", "name_zh", "name_en", "level", "parent", "departments"]


class RulePackVersionSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = RulePack
        fields = [
            "jurisdiction",
            "version",
            "content_hash",
            "source",
            "measure_title",
            "effective_from",
            "effective_to",
            "note",
            "created_at",
        ]


class RulePackSerializer(RulePackVersionSerializer):
    status = serializers.SerializerMethodField(
        help_text="whether the measure is in force, expiring or expired"
    )
    content = serializers.JSONField()

    class Meta(RulePackVersionSerializer.Meta):
        fields = [*RulePackVersionSerializer.Meta.fields, "status", "content"]

    def get_status(self, pack) -> dict:
        return self.context["status"]


class StrictSerializer(serializers.Serializer):
    """Rejects fields it does not know, so a typo is an error rather than silently ignored."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["unknown field"] for name in unknown})
        return super().to_internal_value(data)


class EvaluateRequestSerializer(StrictSerializer):
    facts = FactsField(help_text="fact name → value; see the fact vocabulary in the rule-pack docs")
    version = serializers.IntegerField(
        required=False, min_value=1, max_value=VERSION_MAX, help_text="pack version (default: in force)"
    )
    as_of = serializers.DateField(
        required=False,
        validators=[supported_date],
        help_text="evaluation date, YYYY-MM-DD, 1900-01-01 to 2200-12-31 (default: today)",
    )
    phases = serializers.ListField(child=serializers.CharField(), required=False)
    rule_ids = serializers.ListField(child=serializers.CharField(), required=False)


class RulePackQuerySerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=VERSION_MAX,
        help_text="a version (default: the version in force)",
    )


class WorkingDaysQuerySerializer(StrictSerializer):
    start = serializers.DateField(
        validators=[supported_date], help_text="YYYY-MM-DD, 1900-01-01 to 2200-12-31"
    )
    days = serializers.IntegerField(
        min_value=-3650, max_value=3650, help_text="working days to add (negative: back)"
    )
