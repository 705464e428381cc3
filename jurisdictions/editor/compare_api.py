"""API doors: a draft's impact on the projects in flight, the diff of two versions, the measures compared."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import ServiceAPIView, valid
from govproj.errors import ValidationFailed
from jurisdictions.compare import comparison
from jurisdictions.editor import selectors
from jurisdictions.editor.compare_views import version_pair
from jurisdictions.editor.diff import pack_diff
from jurisdictions.editor.impact import draft_impact, impact_dict
from jurisdictions.selectors import jurisdiction_for
from jurisdictions.serializers import VERSION_MAX

CHANGE = inline_serializer(
    "PackFieldChange",
    {
        "path": serializers.CharField(),
        "label": serializers.CharField(),
        "before": serializers.CharField(),
        "after": serializers.CharField(),
    },
)
RULE_REF = {
    "rule_id": serializers.CharField(),
    "title": serializers.CharField(),
    "article": serializers.CharField(),
    "phase": serializers.CharField(),
    "phase_label": serializers.CharField(),
    "kind": serializers.CharField(),
}


class DiffQuerySerializer(serializers.Serializer):
    a = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=VERSION_MAX,
        help_text="the older version (default: the previous)",
    )
    b = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=VERSION_MAX,
        help_text="the newer version (default: the latest)",
    )


class DraftImpactView(ServiceAPIView):
    @extend_schema(
        responses=inline_serializer(
            "DraftImpact",
            {
                "draft": serializers.IntegerField(),
                "jurisdiction": serializers.CharField(),
                "as_of": serializers.DateField(),
                "in_force_version": serializers.IntegerField(allow_null=True),
                "projects_in_flight": serializers.IntegerField(),
                "projects_affected": serializers.IntegerField(),
                "counts": serializers.ListField(child=serializers.DictField()),
                "projects": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request, id: int) -> Response:
        """What the draft would decide for the jurisdiction's projects in flight, against what they have now.

        Projects keep the version they pinned; this previews the draft's verdicts on their facts.
        Only the jurisdiction's administrators.
        """
        draft = selectors.draft_for(request.user, id)
        return Response(impact_dict(draft_impact(draft)))


class RulePackDiffView(ServiceAPIView):
    @extend_schema(
        parameters=[DiffQuerySerializer],
        responses=inline_serializer(
            "RulePackDiff",
            {
                "jurisdiction": serializers.CharField(),
                "a": serializers.IntegerField(),
                "b": serializers.IntegerField(),
                "counts": serializers.DictField(child=serializers.IntegerField()),
                "added": inline_serializer("PackRuleAdded", RULE_REF, many=True),
                "removed": inline_serializer("PackRuleRemoved", RULE_REF, many=True),
                "changed_rules": inline_serializer(
                    "PackRuleChanged",
                    {**RULE_REF, "switched": serializers.CharField(allow_null=True), "changes": CHANGE},
                    many=True,
                ),
                "sections": inline_serializer(
                    "PackSectionChanged",
                    {"section": serializers.CharField(), "label": serializers.CharField(), "changes": CHANGE},
                    many=True,
                ),
            },
        ),
    )
    def get(self, request: Request, code: str) -> Response:
        """Rule by rule, what changed between versions `a` and `b` (default: the previous and the latest)."""
        jurisdiction = jurisdiction_for(request.user, code)
        query = valid(DiffQuerySerializer(data=request.query_params))
        numbers = list(selectors.versions(jurisdiction).values_list("version", flat=True))
        try:
            a, b = version_pair(numbers, query.get("a"), query.get("b"))
        except ValueError as exc:
            name = str(exc)
            raise ValidationFailed(
                _("No version %(version)s of this rule pack.") % {"version": query.get(name)},
                extra={"errors": {name: [_("No such version.")]}},
            ) from exc
        if a is None:
            raise ValidationFailed(
                _("This jurisdiction has no rule pack loaded."),
                extra={"errors": {"a": [_("No such version.")]}},
            )
        old = selectors.version_of(jurisdiction, a)
        new = old if a == b else selectors.version_of(jurisdiction, b)
        return Response(
            {
                "jurisdiction": jurisdiction.code,
                "a": a,
                "b": b,
                **pack_diff(old.content, new.content).to_dict(),
            }
        )


class RulePackCompareView(ServiceAPIView):
    @extend_schema(
        responses=inline_serializer(
            "RulePackComparison",
            {
                "as_of": serializers.DateField(),
                "jurisdictions": serializers.ListField(child=serializers.DictField()),
                "themes": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        """The measures in force today side by side, by theme (every signed-in user: they are public law)."""
        return Response(comparison(request.user).to_dict())
