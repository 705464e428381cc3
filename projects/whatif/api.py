"""API door onto 规则推演 (/api/v1/projects/{id}/what-if/): the project's rules replayed, nothing stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import valid
from jurisdictions.serializers import (
    VERSION_MAX,
    FactsField,
    RulePackVersionSerializer,
    StrictSerializer,
    supported_date,
)
from projects.api import PROJECT_ID, ProjectRecordView
from projects.selectors import project_for
from projects.whatif.selectors import replay


class WhatIfRequestSerializer(StrictSerializer):
    facts = FactsField(
        required=False,
        default=dict,
        help_text=(
            "changes to the project's facts, as a JSON merge patch: the facts sent replace the project's, "
            "null makes a fact unknown, facts left out stay as they are"
        ),
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=VERSION_MAX,
        help_text="pack version (default: the pinned one; before declaration, the one in force on as_of)",
    )
    as_of = serializers.DateField(
        required=False,
        validators=[supported_date],
        help_text="the day the rules are applied on, YYYY-MM-DD (default: today)",
    )


TEXT = inline_serializer("WhatIfText", {"zh": serializers.CharField(), "en": serializers.CharField()})
WhatIfResponse = inline_serializer(
    "WhatIfResponse",
    {
        "rule_pack": RulePackVersionSerializer(help_text="the version replayed"),
        "current_rule_pack": RulePackVersionSerializer(
            help_text="the version the project is judged by today"
        ),
        "as_of": serializers.DateField(),
        "measure_status": serializers.DictField(),
        "changed_facts": serializers.ListField(
            child=serializers.CharField(), help_text="the facts whose value the changes alter"
        ),
        "facts": serializers.DictField(help_text="the facts replayed (the project's with the changes)"),
        "verdicts": serializers.ListField(child=serializers.DictField()),
        "blocked_transitions": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="transition → the rules that would block it",
        ),
        "current_blocked_transitions": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="transition → the rules that block it now",
        ),
        "differences": serializers.ListField(
            child=inline_serializer(
                "WhatIfDifference",
                {
                    "rule_id": serializers.CharField(),
                    "title": TEXT,
                    "article": serializers.CharField(),
                    "before": serializers.CharField(
                        allow_null=True, help_text="outcome now (null: no such rule)"
                    ),
                    "after": serializers.CharField(allow_null=True, help_text="outcome replayed"),
                    "message": inline_serializer(
                        "WhatIfMessage",
                        {"zh": serializers.CharField(), "en": serializers.CharField()},
                        allow_null=True,
                        help_text="the replayed verdict's message (null: that version has no such rule)",
                    ),
                },
            ),
            help_text="the rules whose outcome would differ",
        ),
        "transitions": serializers.ListField(
            child=inline_serializer(
                "WhatIfTransition",
                {
                    "transition": serializers.CharField(),
                    "label": serializers.CharField(),
                    "before": serializers.BooleanField(help_text="blocked now"),
                    "after": serializers.BooleanField(help_text="blocked in the replay"),
                    "change": serializers.ChoiceField(choices=["blocked", "unblocked", "unchanged"]),
                },
            ),
            help_text="each transition blocked now or in the replay",
        ),
    },
)


def _plain(value):
    """A parsed fact as JSON: an amount as a string (exact), a date as YYYY-MM-DD, a set as a sorted list."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value


class WhatIfView(ProjectRecordView):
    """Nothing is written, so a refusal (a bad fact) is not a refused action to log."""

    @extend_schema(parameters=[PROJECT_ID], request=WhatIfRequestSerializer, responses=WhatIfResponse)
    def post(self, request: Request, **kwargs) -> Response:
        """What-if (规则推演): the project's verdicts with changed facts, another pack version or another
        day, beside its verdicts now; nothing is stored. Anyone who may see the project may ask.
        An invalid fact is a 400 whose `errors.facts` names it (with its label in Chinese and English)."""
        project = project_for(request.user, kwargs["id"])
        data = valid(WhatIfRequestSerializer(data=request.data))
        result = replay(
            project,
            changes=data["facts"],
            version=data.get("version"),
            as_of=data.get("as_of") or timezone.localdate(),
        )
        return Response(
            {
                "rule_pack": RulePackVersionSerializer(result.pack).data,
                "current_rule_pack": RulePackVersionSerializer(result.current_pack).data,
                "as_of": result.as_of.isoformat(),
                "measure_status": result.measure,
                "changed_facts": result.changed,
                "facts": {name: _plain(value) for name, value in result.facts.items()},
                "verdicts": [verdict.to_dict() for verdict in result.verdicts],
                "blocked_transitions": result.blocked,
                "current_blocked_transitions": result.current_blocked,
                "differences": result.differences(),
                "transitions": [
                    {key: row[key] for key in ("transition", "label", "before", "after", "change")}
                    for row in result.transitions()
                ],
            }
        )
