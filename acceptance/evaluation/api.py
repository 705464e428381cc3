"""API doors onto evaluation (/api/v1/projects/{id}/evaluation/…, /api/v1/evaluation/random-checks/…):
the self-evaluation, the post-evaluation (organise, experts, third party, conclude) and 莱州's random checks.

The project is looked up through `Project.objects.for_user` (another tenant's: 404); the services check
role, phase and separation of duties (403, 409) and the input (400).
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from acceptance.evaluation import services
from acceptance.evaluation.models import (
    PostEvaluation,
    PostEvaluationExpert,
    PostMethod,
    RandomCheckDraw,
    RandomCheckResult,
    Rating,
    SelfEvaluation,
)
from acceptance.evaluation.selectors import (
    evaluation_records,
    random_check_setting,
    verify_draw,
    window_said,
    window_verdict,
)
from govproj.api import ServiceAPIView, valid
from govproj.errors import NotFound
from jurisdictions.selectors import rule_pack
from projects.api import PROJECT_ID, ProjectRecordView
from projects.selectors import project_for, project_verdicts
from security.tokens import PersonSerializer

PARSERS = [JSONParser, MultiPartParser, FormParser]
TEXT_MAX = services.TEXT_MAX
ASSIGNMENT_ID = OpenApiParameter(
    "assignment_id",
    {"type": "integer", "minimum": 1},
    OpenApiParameter.PATH,
    description="the assignment's id",
)
CODE = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="the jurisdiction's code, e.g. laizhou"
)
YEAR = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": 2000, "maximum": 2200},
    OpenApiParameter.PATH,
    description="the year",
)
DRAW_ID = OpenApiParameter(
    "draw_id", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH, description="the draw"
)


def _file_url(project_id: int, kind: str, row) -> str | None:
    if not row.file:
        return None
    return reverse("projects:evaluation-file", kwargs={"pk": project_id, "kind": kind, "record_id": row.pk})


class SelfEvaluationSerializer(serializers.ModelSerializer):
    submitted_by = PersonSerializer()
    file = serializers.SerializerMethodField(help_text="the permission-checked download URL, if any")

    class Meta:
        model = SelfEvaluation
        fields = [
            "id",
            "evaluated_on",
            "rating",
            "summary",
            "file",
            "file_name",
            "submitted_by",
            "submitted_at",
            "outside_window",
            "window_rule",
            "window_article",
        ]

    def get_file(self, row) -> str | None:
        return _file_url(row.project_id, "self", row)


class PostExpertSerializer(serializers.ModelSerializer):
    expert = PersonSerializer()

    class Meta:
        model = PostEvaluationExpert
        fields = [
            "id",
            "expert",
            "assigned_at",
            "no_conflict_declared_at",
            "rating",
            "opinion",
            "submitted_at",
        ]


class PostEvaluationSerializer(serializers.ModelSerializer):
    organised_by = PersonSerializer()
    concluded_by = PersonSerializer(allow_null=True)
    experts = serializers.SerializerMethodField()
    file = serializers.SerializerMethodField(help_text="the third party's report, if any")

    class Meta:
        model = PostEvaluation
        fields = [
            "id",
            "method",
            "status",
            "organised_by",
            "organised_at",
            "organisation",
            "organisation_rating",
            "organisation_comment",
            "file",
            "file_name",
            "rating",
            "conclusion",
            "concluded_by",
            "concluded_at",
            "experts",
        ]

    def get_file(self, row) -> str | None:
        return _file_url(row.project_id, "post", row)

    def get_experts(self, row) -> list[dict]:
        rows = self.context.get("experts", {}).get(row.pk)
        if rows is None:
            rows = list(PostEvaluationExpert.objects.filter(evaluation=row).select_related("expert"))
        return PostExpertSerializer(rows, many=True).data


class SelfEvaluationWindowSerializer(serializers.Serializer):
    rule_id = serializers.CharField()
    article = serializers.CharField()
    opens_on = serializers.DateField(allow_null=True)
    closes_on = serializers.DateField(allow_null=True, help_text="the window's last day, or the due date")
    done_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField()
    outside = serializers.BooleanField()
    message = serializers.CharField()


class EvaluationSerializer(serializers.Serializer):
    window = SelfEvaluationWindowSerializer(
        allow_null=True, help_text="the pack's self-evaluation window; null: none"
    )
    performance_rating = serializers.CharField(allow_null=True)
    self_evaluations = SelfEvaluationSerializer(many=True)
    post_evaluations = PostEvaluationSerializer(many=True)
    allowed = serializers.ListField(
        child=serializers.CharField(), help_text="actions the caller may take now"
    )


def _payload(request, project) -> Response:
    pack, verdicts = project_verdicts(project)
    records = evaluation_records(project)
    open_post = next((p for p in records["posts"] if p.status == "open"), None)
    allowed = services.post_actions(request.user, project, open_post)
    if services.self_evaluation_allowed(request.user, project):
        allowed = ["self_evaluate", *allowed]
    data = {
        "window": window_said(window_verdict(verdicts, pack.spec)),
        "performance_rating": (project.facts or {}).get("performance_rating"),
        "self_evaluations": records["selfs"],
        "post_evaluations": records["posts"],
        "allowed": allowed,
    }
    return Response(EvaluationSerializer(data, context={"experts": records["experts"]}).data)


class SelfInputSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    evaluated_on = serializers.DateField(required=False, help_text="default today; never in the future")
    summary = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, help_text="the report (multipart); or write its summary")


class PostOrganiseSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=PostMethod.choices)
    comment = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")


class EvaluationAssignSerializer(serializers.Serializer):
    expert = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="the expert's user id")


class EvaluationOpinionSerializer(serializers.Serializer):
    no_conflict = serializers.BooleanField(help_text="本人与该项目无利害关系: required")
    rating = serializers.ChoiceField(choices=Rating.choices)
    opinion = serializers.CharField(max_length=TEXT_MAX)


class EvaluationThirdPartySerializer(serializers.Serializer):
    organisation = serializers.CharField(max_length=200)
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, help_text="the report (multipart)")


class PostConcludeSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    conclusion = serializers.CharField(max_length=TEXT_MAX)
    waste_found = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="investment waste or low performance found (莱州 第三十五条); ignored by other packs",
    )


class EvaluationView(ProjectRecordView):
    @extend_schema(parameters=[PROJECT_ID], responses=EvaluationSerializer)
    def get(self, request: Request, **kwargs) -> Response:
        """The self-evaluation window and reports, the post-evaluations and their experts, what you may do."""
        return _payload(request, project_for(request.user, kwargs["id"]))


class SelfEvaluationView(ProjectRecordView):
    refusal_action = "self_evaluation"
    parser_classes = PARSERS

    @extend_schema(
        parameters=[PROJECT_ID],
        request={"application/json": SelfInputSerializer, "multipart/form-data": SelfInputSerializer},
        responses={201: SelfEvaluationSerializer},
    )
    def post(self, request: Request, **kwargs) -> Response:
        """The department submits its self-evaluation and rating; outside the pack's window it is flagged."""
        project = project_for(request.user, kwargs["id"])
        data = valid(SelfInputSerializer(data=request.data))
        row = services.self_evaluation_submit(
            actor=request.user,
            project_id=project.pk,
            rating=data["rating"],
            evaluated_on=data.get("evaluated_on"),
            summary=data["summary"],
            file=data.get("file"),
        )
        return Response(SelfEvaluationSerializer(row).data, status=status.HTTP_201_CREATED)


class PostOrganiseView(ProjectRecordView):
    refusal_action = "post_evaluation_organise"

    @extend_schema(
        parameters=[PROJECT_ID], request=PostOrganiseSerializer, responses={201: PostEvaluationSerializer}
    )
    def post(self, request: Request, **kwargs) -> Response:
        """A reviewer organises a post-evaluation (后评价) by experts or a third party."""
        project = project_for(request.user, kwargs["id"])
        data = valid(PostOrganiseSerializer(data=request.data))
        row = services.post_evaluation_organise(
            actor=request.user, project_id=project.pk, method=data["method"], comment=data["comment"]
        )
        return Response(PostEvaluationSerializer(row).data, status=status.HTTP_201_CREATED)


class PostAssignView(ProjectRecordView):
    refusal_action = "post_evaluation_expert_assign"

    @extend_schema(
        parameters=[PROJECT_ID], request=EvaluationAssignSerializer, responses={201: PostExpertSerializer}
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Assign an expert of the jurisdiction (not of the filing department), who then sees the project."""
        project = project_for(request.user, kwargs["id"])
        data = valid(EvaluationAssignSerializer(data=request.data))
        row = services.post_evaluation_assign_expert(
            actor=request.user, project_id=project.pk, expert_id=data["expert"]
        )
        return Response(PostExpertSerializer(row).data, status=status.HTTP_201_CREATED)


class PostOpinionView(ProjectRecordView):
    refusal_action = "post_evaluation_opinion"

    @extend_schema(
        parameters=[PROJECT_ID, ASSIGNMENT_ID],
        request=EvaluationOpinionSerializer,
        responses={200: PostExpertSerializer},
    )
    def post(self, request: Request, **kwargs) -> Response:
        """The assigned expert declares no conflict of interest, then gives a rating and an opinion."""
        project = project_for(request.user, kwargs["id"])
        data = valid(EvaluationOpinionSerializer(data=request.data))
        row = services.post_evaluation_opinion(
            actor=request.user,
            project_id=project.pk,
            assignment_id=kwargs["assignment_id"],
            no_conflict=data["no_conflict"],
            rating=data["rating"],
            opinion=data["opinion"],
        )
        return Response(PostExpertSerializer(row).data)


class PostThirdPartyView(ProjectRecordView):
    refusal_action = "post_evaluation_third_party"
    parser_classes = PARSERS

    @extend_schema(
        parameters=[PROJECT_ID],
        request={
            "application/json": EvaluationThirdPartySerializer,
            "multipart/form-data": EvaluationThirdPartySerializer,
        },
        responses={200: PostEvaluationSerializer},
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Record the third-party organisation's evaluation report and rating."""
        project = project_for(request.user, kwargs["id"])
        data = valid(EvaluationThirdPartySerializer(data=request.data))
        row = services.post_evaluation_third_party(
            actor=request.user,
            project_id=project.pk,
            organisation=data["organisation"],
            rating=data["rating"],
            comment=data["comment"],
            file=data.get("file"),
        )
        return Response(PostEvaluationSerializer(row).data)


class PostConcludeView(ProjectRecordView):
    refusal_action = "post_evaluation_conclude"

    @extend_schema(
        parameters=[PROJECT_ID], request=PostConcludeSerializer, responses={200: PostEvaluationSerializer}
    )
    def post(self, request: Request, **kwargs) -> Response:
        """The reviewer concludes with the final rating (→ performance_rating; performance_poor when poor)."""
        project = project_for(request.user, kwargs["id"])
        data = valid(PostConcludeSerializer(data=request.data))
        row = services.post_evaluation_conclude(
            actor=request.user,
            project_id=project.pk,
            rating=data["rating"],
            conclusion=data["conclusion"],
            waste_found=data.get("waste_found"),
        )
        return Response(PostEvaluationSerializer(row).data)


# --- random checks -------------------------------------------------------------------------------


class RandomCheckResultSerializer(serializers.ModelSerializer):
    recorded_by = PersonSerializer()
    project = serializers.IntegerField(source="project_id")

    class Meta:
        model = RandomCheckResult
        fields = ["id", "project", "rating", "finding", "recorded_by", "recorded_at"]


class RandomCheckDrawSerializer(serializers.ModelSerializer):
    drawn_by = PersonSerializer()
    population = serializers.ListField(child=serializers.IntegerField())
    chosen = serializers.ListField(child=serializers.IntegerField())
    verified = serializers.SerializerMethodField(
        help_text="drawing again from the seed gives the same projects"
    )
    results = RandomCheckResultSerializer(many=True, read_only=True)

    class Meta:
        model = RandomCheckDraw
        fields = [
            "id",
            "year",
            "seed",
            "population",
            "chosen",
            "count",
            "share",
            "reason",
            "drawn_by",
            "drawn_at",
            "superseded",
            "verified",
            "results",
        ]

    def get_verified(self, row) -> bool:
        return verify_draw(row)


class RandomChecksSerializer(serializers.Serializer):
    article = serializers.CharField()
    share = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    count = serializers.IntegerField(allow_null=True)
    open_choice = serializers.BooleanField(
        help_text="the measure sets no size: the reviewer chooses the count"
    )
    draws = RandomCheckDrawSerializer(many=True)


class RandomCheckDrawInputSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        min_value=1, max_value=100000, required=False, help_text="when the measure sets no sample size"
    )
    reason = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default="", help_text="required to draw again"
    )


class RandomCheckResultInputSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    rating = serializers.ChoiceField(choices=Rating.choices)
    finding = serializers.CharField(max_length=TEXT_MAX)


def _year(value) -> int:
    text = str(value)
    if not (text.isascii() and text.isdecimal()) or not 2000 <= int(text) <= 2200:
        raise NotFound()
    return int(text)


def _jurisdiction(user, code):
    jurisdiction = services.jurisdiction_for_checks(user, code)
    setting = random_check_setting(rule_pack(jurisdiction).spec)
    if setting is None:
        raise NotFound()
    return jurisdiction, setting


def _draws(jurisdiction, year: int) -> list[RandomCheckDraw]:
    return list(
        RandomCheckDraw.objects.filter(jurisdiction=jurisdiction, year=year)
        .select_related("drawn_by")
        .prefetch_related("results__recorded_by")
        .order_by("-drawn_at", "-pk")
    )


class RandomChecksView(ServiceAPIView):
    refusal_action = "random_check_draw"

    @extend_schema(parameters=[CODE, YEAR], responses=RandomChecksSerializer)
    def get(self, request: Request, **kwargs) -> Response:
        """The jurisdiction's random-check setting (its article) and the year's draws with their results."""
        jurisdiction, setting = _jurisdiction(request.user, kwargs["code"])
        year = _year(kwargs["year"])
        return Response(
            RandomChecksSerializer(
                {
                    "article": setting.article,
                    "share": setting.share,
                    "count": setting.count,
                    "open_choice": setting.open_choice,
                    "draws": _draws(jurisdiction, year),
                }
            ).data
        )

    @extend_schema(
        parameters=[CODE, YEAR],
        request=RandomCheckDrawInputSerializer,
        responses={201: RandomCheckDrawSerializer},
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Draw the year's sample from the projects in operation (seeded, recorded); again with a reason."""
        jurisdiction, _setting = _jurisdiction(request.user, kwargs["code"])
        year = _year(kwargs["year"])
        data = valid(RandomCheckDrawInputSerializer(data=request.data))
        draw = services.random_check_draw(
            actor=request.user,
            jurisdiction=jurisdiction,
            year=year,
            count=data.get("count"),
            reason=data["reason"],
        )
        return Response(RandomCheckDrawSerializer(draw).data, status=status.HTTP_201_CREATED)


class RandomCheckResultView(ServiceAPIView):
    refusal_action = "random_check_result"

    @extend_schema(
        parameters=[DRAW_ID],
        request=RandomCheckResultInputSerializer,
        responses={201: RandomCheckResultSerializer},
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Record the result of checking one drawn project (a rating and the finding)."""
        services.draw_for(request.user, kwargs["draw_id"])
        data = valid(RandomCheckResultInputSerializer(data=request.data))
        result = services.random_check_result(
            actor=request.user,
            draw_id=kwargs["draw_id"],
            project_id=data["project"],
            rating=data["rating"],
            finding=data["finding"],
        )
        return Response(RandomCheckResultSerializer(result).data, status=status.HTTP_201_CREATED)
