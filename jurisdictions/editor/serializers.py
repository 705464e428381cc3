"""The editor API's bodies: what a client sends to change a draft, and how a draft reads back."""

from __future__ import annotations

from rest_framework import serializers

from jurisdictions.models import RulePackDraft
from jurisdictions.serializers import VERSION_MAX, StrictSerializer, supported_date

REVISION_HELP = "the draft's revision the change starts from; a stale one is refused with 409"


def _revision():
    return serializers.IntegerField(min_value=1, max_value=VERSION_MAX, help_text=REVISION_HELP)


class DraftSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.SlugRelatedField(slug_field="code", read_only=True)
    based_on = serializers.IntegerField(source="based_on.version", read_only=True, help_text="version copied")
    published_as = serializers.IntegerField(
        source="published_as.version", read_only=True, allow_null=True, default=None
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    content = serializers.JSONField(read_only=True, help_text="the whole pack, as the YAML of a pack file")

    class Meta:
        model = RulePackDraft
        fields = [
            "id",
            "jurisdiction",
            "based_on",
            "successor",
            "revision",
            "status",
            "published_as",
            "content",
            "created_by",
            "created_at",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = fields


class DraftOpenSerializer(StrictSerializer):
    successor = serializers.BooleanField(
        required=False, default=False, help_text="a draft for the measure that follows the current one"
    )


class RuleBodySerializer(StrictSerializer):
    revision = _revision()
    rule = serializers.DictField(help_text="the rule as in a pack file (kind, phase, title, citation, …)")


class RuleSwitchSerializer(StrictSerializer):
    revision = _revision()
    off = serializers.BooleanField(help_text="true: switch the rule off; false: on again")
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, help_text="why it is switched off (required then)"
    )


class SectionBodySerializer(StrictSerializer):
    revision = _revision()
    value = serializers.JSONField(help_text="the section's new value (measure: an object; lists: a list)")


class YamlBodySerializer(StrictSerializer):
    revision = _revision()
    text = serializers.CharField(
        max_length=2_000_000, trim_whitespace=False, help_text="the whole pack as YAML"
    )


class PublishBodySerializer(StrictSerializer):
    revision = _revision()
    effective_from = serializers.DateField(
        validators=[supported_date], help_text="the day the version applies from"
    )
    effective_to = serializers.DateField(
        required=False, allow_null=True, validators=[supported_date], help_text="its last day (optional)"
    )
    note = serializers.CharField(max_length=2000, help_text="what this version changes")


class DiscardBodySerializer(StrictSerializer):
    revision = _revision()
    reason = serializers.CharField(max_length=500, help_text="why the draft is discarded")
