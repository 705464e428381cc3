from rest_framework import serializers

from jurisdictions.models import Department, Jurisdiction, RulePack


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name_zh", "name_en"]


class JurisdictionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
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
    facts = serializers.DictField(
        help_text="fact name → value; see the fact vocabulary in the rule-pack docs"
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="pack version (default: in force)"
    )
    as_of = serializers.DateField(required=False, help_text="evaluation date, YYYY-MM-DD (default: today)")
    phases = serializers.ListField(child=serializers.CharField(), required=False)
    rule_ids = serializers.ListField(child=serializers.CharField(), required=False)


class WorkingDaysQuerySerializer(StrictSerializer):
    start = serializers.DateField()
    days = serializers.IntegerField(min_value=-3650, max_value=3650)
