"""API doors onto review steps (/api/v1/projects/{id}/reviews/…): list, organise, decide, reopen;
assign and withdraw experts, an expert's opinion; record a third-party review.

The project is looked up through `Project.objects.for_user` (another tenant's: 404); the services
check the taker, the phase and separation of duties (403, 409) and the input (400).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from approvals.reviews import services
from approvals.reviews.models import Conclusion, ExpertAssignment, Opinion, ThirdPartyReview
from approvals.reviews.selectors import applicable_steps, step_rounds
from govproj.api import valid
from projects.api import PROJECT_ID, ProjectRecordView
from projects.selectors import pack_for_project, project_for
from security.tokens import PersonSerializer

STEP_CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="the pack's review step code")
ASSIGNMENT_ID = OpenApiParameter(
    "assignment_id",
    {"type": "integer", "minimum": 1},
    OpenApiParameter.PATH,
    description="the assignment's id",
)
PARSERS = [JSONParser, MultiPartParser, FormParser]


def _file_url(project_id: int, kind: str, row) -> str | None:
    if not row.file:
        return None
    return reverse("projects:review-file", kwargs={"pk": project_id, "kind": kind, "record_id": row.pk})


class AssignmentSerializer(serializers.ModelSerializer):
    expert = PersonSerializer()
    file = serializers.SerializerMethodField(help_text="the permission-checked download URL, if any")

    class Meta:
        model = ExpertAssignment
        fields = [
            "id",
            "expert",
            "assigned_at",
            "no_conflict_declared_at",
            "opinion",
            "comment",
            "file",
            "file_name",
            "submitted_at",
            "withdrawn",
        ]

    def get_file(self, row) -> str | None:
        return _file_url(row.project_id, "opinion", row)


class ThirdPartySerializer(serializers.ModelSerializer):
    recorded_by = PersonSerializer()
    file = serializers.SerializerMethodField(help_text="the permission-checked download URL, if any")

    class Meta:
        model = ThirdPartyReview
        fields = [
            "id",
            "organisation",
            "conclusion",
            "comment",
            "file",
            "file_name",
            "recorded_by",
            "recorded_at",
        ]

    def get_file(self, row) -> str | None:
        return _file_url(row.project_id, "third_party", row)


class RoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    status = serializers.CharField(help_text="open, passed or failed")
    organised_at = serializers.DateTimeField(allow_null=True)
    comment = serializers.CharField()
    decided_by = PersonSerializer(allow_null=True)
    on_behalf_of = PersonSerializer(allow_null=True, help_text="the delegator, when a delegate decided")
    decided_at = serializers.DateTimeField(allow_null=True)
    file = serializers.CharField(allow_null=True)
    assignments = AssignmentSerializer(many=True)
    third_party = ThirdPartySerializer(many=True)


class StepSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.DictField(child=serializers.CharField())
    before = serializers.CharField(help_text="the master transition it precedes")
    stage = serializers.CharField(allow_null=True)
    taker = serializers.DictField(help_text="name {zh, en}, role, department code")
    ways = serializers.ListField(child=serializers.CharField())
    optional = serializers.BooleanField()
    article = serializers.CharField()
    status = serializers.CharField(help_text="the latest round's status; empty when none yet")
    owed = serializers.BooleanField(help_text="whether it still holds up its transition")
    allowed = serializers.ListField(
        child=serializers.CharField(), help_text="actions the caller may take now"
    )
    rounds = RoundSerializer(many=True)


def steps_payload(user, project) -> list[dict]:
    from approvals.acting import acting_as
    from approvals.reviews.selectors import in_step_phase, step_owed
    from projects.selectors import filer_ids

    spec = pack_for_project(project).spec
    steps = applicable_steps(project, spec)
    if not steps:
        return []
    rounds = step_rounds(project)
    assignments: dict[int, list] = {}
    for a in ExpertAssignment.objects.filter(project=project).select_related("expert"):
        assignments.setdefault(a.step_id, []).append(a)
    reviews: dict[int, list] = {}
    for r in ThirdPartyReview.objects.filter(project=project).select_related("recorded_by"):
        reviews.setdefault(r.step_id, []).append(r)
    people_ids = {p for rs in rounds.values() for r in rs for p in (r.decided_by_id, r.on_behalf_of_id)} - {
        None
    }
    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=people_ids)} if people_ids else {}
    filers = filer_ids(project)
    payload = []
    for step in steps:
        history = rounds.get(step.code, [])
        latest = history[-1] if history else None
        acting = acting_as(user, project.jurisdiction_id, step.taker)
        may = bool(acting) and not (acting.people() & filers) and in_step_phase(project, step)
        payload.append(
            {
                "code": step.code,
                "name": {"zh": step.name.zh, "en": step.name.en},
                "before": step.before,
                "stage": step.stage,
                "taker": {
                    "name": {"zh": step.taker.name.zh, "en": step.taker.name.en},
                    "role": step.taker.role,
                    "department": step.taker.department,
                },
                "ways": list(step.ways),
                "optional": step.optional,
                "article": step.citation.article,
                "status": latest.status if latest else "",
                "owed": step_owed(step, latest),
                "allowed": services.allowed_actions(step, latest) if may else [],
                "rounds": [
                    {
                        "id": r.pk,
                        "round": r.round,
                        "status": r.status,
                        "organised_at": r.organised_at,
                        "comment": r.comment,
                        "decided_by": people.get(r.decided_by_id),
                        "on_behalf_of": people.get(r.on_behalf_of_id),
                        "decided_at": r.decided_at,
                        "file": _file_url(project.pk, "step", r),
                        "assignments": assignments.get(r.pk, []),
                        "third_party": reviews.get(r.pk, []),
                    }
                    for r in history
                ],
            }
        )
    return payload


class _Comment(serializers.Serializer):
    comment = serializers.CharField(
        max_length=services.COMMENT_MAX, required=False, allow_blank=True, default=""
    )


class DecideSerializer(_Comment):
    outcome = serializers.ChoiceField(choices=["pass", "fail"], help_text="fail needs a comment (the reason)")
    file = serializers.FileField(required=False, help_text="the review opinion as a file (multipart)")


class AssignSerializer(serializers.Serializer):
    expert = serializers.IntegerField(min_value=1, help_text="the expert's user id")


class OpinionSerializer(_Comment):
    no_conflict = serializers.BooleanField(help_text="本人与该项目无利害关系: required before the opinion")
    opinion = serializers.ChoiceField(choices=Opinion.choices)
    file = serializers.FileField(required=False)


class ThirdPartyInputSerializer(_Comment):
    organisation = serializers.CharField(max_length=200)
    conclusion = serializers.ChoiceField(choices=Conclusion.choices)
    file = serializers.FileField(required=False, help_text="the review report (multipart)")


def _steps(request, project_id) -> Response:
    project = project_for(request.user, project_id)
    return Response(StepSerializer(steps_payload(request.user, project), many=True).data)


class ReviewListView(ProjectRecordView):
    @extend_schema(parameters=[PROJECT_ID], responses=StepSerializer(many=True))
    def get(self, request: Request, **kwargs) -> Response:
        """The review steps that apply to the project, with their rounds, experts and third parties."""
        return _steps(request, kwargs["id"])


class ReviewOrganiseView(ProjectRecordView):
    refusal_action = "review_organise"
    parser_classes = PARSERS

    @extend_schema(
        parameters=[PROJECT_ID, STEP_CODE], request=_Comment, responses={200: StepSerializer(many=True)}
    )
    def post(self, request: Request, **kwargs) -> Response:
        """The taker organises an optional step (根据需要): it then holds up its transition until passed."""
        project = project_for(request.user, kwargs["id"])
        data = valid(_Comment(data=request.data))
        services.organise_step(
            actor=request.user, project_id=project.pk, code=kwargs["code"], comment=data["comment"]
        )
        return _steps(request, project.pk)


class ReviewDecideView(ProjectRecordView):
    refusal_action = "review_decide"
    parser_classes = PARSERS

    @extend_schema(
        parameters=[PROJECT_ID, STEP_CODE],
        request={"application/json": DecideSerializer, "multipart/form-data": DecideSerializer},
        responses={200: StepSerializer(many=True)},
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Pass or fail (with a reason) the step's open round, as its taker (or the taker's delegate).

        A step taken by experts or a third party passes only once an opinion or a report is recorded.
        """
        project = project_for(request.user, kwargs["id"])
        data = valid(DecideSerializer(data=request.data))
        services.decide_step(
            actor=request.user,
            project_id=project.pk,
            code=kwargs["code"],
            outcome=data["outcome"],
            comment=data["comment"],
            file=data.get("file"),
        )
        return _steps(request, project.pk)


class ReviewReopenView(ProjectRecordView):
    refusal_action = "review_reopen"
    parser_classes = PARSERS

    @extend_schema(
        parameters=[PROJECT_ID, STEP_CODE], request=_Comment, responses={200: StepSerializer(many=True)}
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Take a failed step again as its next round (the failed round stays on record)."""
        project = project_for(request.user, kwargs["id"])
        data = valid(_Comment(data=request.data))
        services.reopen_step(
            actor=request.user, project_id=project.pk, code=kwargs["code"], comment=data["comment"]
        )
        return _steps(request, project.pk)


class ReviewAssignView(ProjectRecordView):
    refusal_action = "expert_assign"
    parser_classes = PARSERS

    @extend_schema(
        parameters=[PROJECT_ID, STEP_CODE], request=AssignSerializer, responses={201: AssignmentSerializer}
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Assign an expert of the jurisdiction (not of the filing department), who then sees the project."""
        project = project_for(request.user, kwargs["id"])
        data = valid(AssignSerializer(data=request.data))
        assignment = services.assign_expert(
            actor=request.user, project_id=project.pk, code=kwargs["code"], expert_id=data["expert"]
        )
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class ReviewWithdrawView(ProjectRecordView):
    refusal_action = "expert_withdraw"
    parser_classes = PARSERS

    @extend_schema(
        parameters=[PROJECT_ID, ASSIGNMENT_ID], request=_Comment, responses={200: AssignmentSerializer}
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Withdraw an assignment before the expert's opinion; the expert no longer sees the project."""
        project = project_for(request.user, kwargs["id"])
        data = valid(_Comment(data=request.data))
        assignment = services.withdraw_expert(
            actor=request.user,
            project_id=project.pk,
            assignment_id=kwargs["assignment_id"],
            comment=data["comment"],
        )
        return Response(AssignmentSerializer(assignment).data)


class ReviewOpinionView(ProjectRecordView):
    refusal_action = "expert_opinion"
    parser_classes = PARSERS

    @extend_schema(
        parameters=[PROJECT_ID, ASSIGNMENT_ID],
        request={"application/json": OpinionSerializer, "multipart/form-data": OpinionSerializer},
        responses={200: AssignmentSerializer},
    )
    def post(self, request: Request, **kwargs) -> Response:
        """The assigned expert declares no conflict of interest and gives an opinion (once)."""
        project = project_for(request.user, kwargs["id"])
        data = valid(OpinionSerializer(data=request.data))
        assignment = services.submit_opinion(
            actor=request.user,
            project_id=project.pk,
            assignment_id=kwargs["assignment_id"],
            no_conflict=data["no_conflict"],
            opinion=data["opinion"],
            comment=data["comment"],
            file=data.get("file"),
        )
        return Response(AssignmentSerializer(assignment).data)


class ReviewThirdPartyView(ProjectRecordView):
    refusal_action = "third_party_review"
    parser_classes = PARSERS

    @extend_schema(
        parameters=[PROJECT_ID, STEP_CODE],
        request={
            "application/json": ThirdPartyInputSerializer,
            "multipart/form-data": ThirdPartyInputSerializer,
        },
        responses={201: ThirdPartySerializer},
    )
    def post(self, request: Request, **kwargs) -> Response:
        """Record a third-party organisation's review report on the step's open round."""
        project = project_for(request.user, kwargs["id"])
        data = valid(ThirdPartyInputSerializer(data=request.data))
        review = services.record_third_party(
            actor=request.user,
            project_id=project.pk,
            code=kwargs["code"],
            organisation=data["organisation"],
            conclusion=data["conclusion"],
            comment=data["comment"],
            file=data.get("file"),
        )
        return Response(ThirdPartySerializer(review).data, status=status.HTTP_201_CREATED)
