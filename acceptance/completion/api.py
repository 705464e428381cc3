"""API doors onto the trial run and acceptance (/api/v1/projects/{id}/acceptance/…). Views parse, call one
service, serialise the overview. Another tenant's project is a 404, a role without the right a 403, a
state that does not allow the action a 409 with `allowed`, a rule or a missing document a 400 naming it
and its article (南充 第二十九条: with `may_apply_on`, the first day acceptance may be applied for).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from acceptance.completion import services
from acceptance.completion.selectors import acceptance_overview
from govproj.api import valid
from projects.api import PROJECT_ID, ProjectRecordView
from projects.selectors import project_for
from security.tokens import PersonSerializer

KIND = OpenApiParameter(
    "kind",
    str,
    OpenApiParameter.PATH,
    description="pre_acceptance (包头 第二十二条) or archive (鄂尔多斯 第二十二条)",
)
DELAY_ID = OpenApiParameter("delay_id", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH)


class TrialRunOutSerializer(serializers.Serializer):
    completion_date = serializers.DateField()
    start_date = serializers.DateField()
    stable_date = serializers.DateField(allow_null=True)
    recorded_by = PersonSerializer(allow_null=True)


class CheckRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    requested_by = PersonSerializer(allow_null=True)
    requested_at = serializers.DateTimeField()
    decided_by = PersonSerializer(allow_null=True)
    decision_date = serializers.DateField(allow_null=True)
    opinion = serializers.CharField()


class CheckSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    article = serializers.CharField()
    passed = serializers.BooleanField()
    latest = CheckRowSerializer(allow_null=True)
    may_request = serializers.BooleanField()
    may_decide = serializers.BooleanField()


class DelaySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    reason = serializers.CharField()
    requested_date = serializers.DateField()
    applied_date = serializers.DateField()
    applied_by = PersonSerializer(allow_null=True)
    original_due_date = serializers.DateField(allow_null=True)
    granted_date = serializers.DateField(allow_null=True)
    decided_by = PersonSerializer(allow_null=True)
    decision_reason = serializers.CharField()


class ClockSerializer(serializers.Serializer):
    title = serializers.CharField()
    article = serializers.CharField()
    outcome = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    original_due_date = serializers.DateField(allow_null=True, required=False)
    extension = serializers.CharField(
        allow_null=True, required=False, help_text="granted, pending, applied_late"
    )
    done_on = serializers.DateField(allow_null=True)
    working_days_left = serializers.IntegerField(required=False)
    overdue = serializers.BooleanField(required=False)


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    round = serializers.IntegerField()
    status = serializers.CharField()
    applied_date = serializers.DateField()
    applied_by = PersonSerializer(allow_null=True)
    documents = serializers.ListField(child=serializers.CharField())
    decided_by = PersonSerializer(allow_null=True)
    decision_date = serializers.DateField(allow_null=True)
    operation_start_date = serializers.DateField(allow_null=True)
    conditions = serializers.CharField()
    reason = serializers.CharField()
    free_om_end_date = serializers.DateField(allow_null=True)
    standard_published_date = serializers.DateField(allow_null=True)
    standard_name = serializers.CharField()


class ChecklistDocumentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    on_file = serializers.BooleanField()


class ChecklistRuleSerializer(serializers.Serializer):
    rule_id = serializers.CharField()
    title = serializers.CharField()
    article = serializers.CharField()
    outcome = serializers.CharField()
    applies = serializers.BooleanField()
    stage = serializers.CharField(allow_null=True)
    documents = ChecklistDocumentSerializer(many=True)


class VerdictRowSerializer(serializers.Serializer):
    rule_id = serializers.CharField()
    title = serializers.CharField()
    article = serializers.CharField()
    message = serializers.CharField()
    outcome = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)


class AcceptanceSerializer(serializers.Serializer):
    trial_run = TrialRunOutSerializer(source="trial", allow_null=True)
    checks = CheckSerializer(many=True)
    clock = ClockSerializer(allow_null=True, help_text="the acceptance deadline (with a granted delay)")
    delays = DelaySerializer(many=True)
    applications = ApplicationSerializer(many=True)
    checklist = ChecklistRuleSerializer(many=True)
    after = ChecklistRuleSerializer(many=True, help_text="documents due after acceptance")
    blocking_apply = VerdictRowSerializer(many=True)
    blocking_accept = VerdictRowSerializer(many=True)
    standard = VerdictRowSerializer(allow_null=True)
    free_om = VerdictRowSerializer(many=True)
    may = serializers.DictField(child=serializers.BooleanField(), help_text="what you may do now")


class TrialRunSerializer(serializers.Serializer):
    completion_date = serializers.DateField()
    start_date = serializers.DateField()
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class StableSerializer(serializers.Serializer):
    stable_date = serializers.DateField()
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CheckDecideSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    decision_date = serializers.DateField()
    opinion = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DelayApplySerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)
    requested_date = serializers.DateField()


class DelayDecideSerializer(serializers.Serializer):
    granted = serializers.BooleanField()
    granted_date = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ApplySerializer(serializers.Serializer):
    applied_date = serializers.DateField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AcceptanceDecideSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    decision_date = serializers.DateField()
    operation_start_date = serializers.DateField(required=False, allow_null=True, default=None)
    conditions = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class StandardSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    published_date = serializers.DateField()


def _overview(request, project_id) -> Response:
    project = project_for(request.user, project_id)
    return Response(AcceptanceSerializer(acceptance_overview(request.user, project)).data)


class AcceptanceView(ProjectRecordView):
    @extend_schema(parameters=[PROJECT_ID], responses=AcceptanceSerializer)
    def get(self, request: Request, id) -> Response:
        """The trial run, the checks before acceptance, the deadline and delays, the checklist, the
        applications and their conclusions, and what follows acceptance."""
        return _overview(request, id)


def _doc(summary: str, serializer, *params):
    return extend_schema(
        parameters=[PROJECT_ID, *params],
        request=serializer,
        responses={
            200: AcceptanceSerializer,
            400: OpenApiResponse(
                description="bad input, or a rule or a missing document (named, with its article)"
            ),
            403: OpenApiResponse(description="a role without the right"),
            404: OpenApiResponse(description="no such project, check or delay application"),
            409: OpenApiResponse(description="the state does not allow it (with `allowed`)"),
        },
        description=summary,
    )


class _Action(ProjectRecordView):
    serializer = CommentSerializer

    def run(self, request, id, data, **kwargs):  # pragma: no cover - each subclass says
        raise NotImplementedError

    def act(self, request: Request, id, **kwargs) -> Response:
        project_for(request.user, id)  # another tenant's project: 404 before anything is read
        data = valid(self.serializer(data=request.data))
        self.run(request, id, data, **kwargs)
        return _overview(request, id)


class TrialRunView(_Action):
    refusal_action = "trial_run_record"
    serializer = TrialRunSerializer

    @_doc("建成 and 试运行: records both dates and moves the project to trial operation.", TrialRunSerializer)
    def post(self, request, id):
        return self.act(request, id)

    def run(self, request, id, data, **kwargs):
        services.trial_run_record(actor=request.user, project_id=id, **data)


class StableView(_Action):
    refusal_action = "trial_run_stable"
    serializer = StableSerializer

    @_doc("试运行达到稳定状态 (where the measure counts from it, 红山 第二十八条).", StableSerializer)
    def post(self, request, id):
        return self.act(request, id)

    def run(self, request, id, data, **kwargs):
        services.trial_run_stable(actor=request.user, project_id=id, **data)


class CheckRequestView(_Action):
    refusal_action = "acceptance_check_request"

    @_doc("The department asks for a check before acceptance.", CommentSerializer, KIND)
    def post(self, request, id, kind):
        return self.act(request, id, kind=kind)

    def run(self, request, id, data, kind=None, **kwargs):
        services.check_request(actor=request.user, project_id=id, kind=kind, **data)


class CheckDecideView(_Action):
    refusal_action = "acceptance_check_decide"
    serializer = CheckDecideSerializer

    @_doc(
        "The reviewer decides the check (an opinion is required when not passed).",
        CheckDecideSerializer,
        KIND,
    )
    def post(self, request, id, kind):
        return self.act(request, id, kind=kind)

    def run(self, request, id, data, kind=None, **kwargs):
        services.check_decide(actor=request.user, project_id=id, kind=kind, **data)


class DelayApplyView(_Action):
    refusal_action = "acceptance_delay_apply"
    serializer = DelayApplySerializer

    @_doc("延期验收申请: before the deadline, with the reason and the date asked for.", DelayApplySerializer)
    def post(self, request, id):
        return self.act(request, id)

    def run(self, request, id, data, **kwargs):
        services.delay_apply(actor=request.user, project_id=id, **data)


class DelayDecideView(_Action):
    refusal_action = "acceptance_delay_decide"
    serializer = DelayDecideSerializer

    @_doc(
        "The approver grants a date (the new deadline) or refuses with a reason.",
        DelayDecideSerializer,
        DELAY_ID,
    )
    def post(self, request, id, delay_id):
        return self.act(request, id, delay_id=delay_id)

    def run(self, request, id, data, delay_id=None, **kwargs):
        services.delay_decide(actor=request.user, project_id=id, delay_id=delay_id, **data)


class ApplyView(_Action):
    refusal_action = "acceptance_apply"
    serializer = ApplySerializer

    @_doc(
        "申请验收 with the measure's documents; moves the project to acceptance. 400 names each missing "
        "document or rule and its article.",
        ApplySerializer,
    )
    def post(self, request, id):
        return self.act(request, id)

    def run(self, request, id, data, **kwargs):
        services.acceptance_apply(actor=request.user, project_id=id, **data)


class DecideView(_Action):
    refusal_action = "acceptance_decide"
    serializer = AcceptanceDecideSerializer

    @_doc(
        "验收结论: passed (date, conditions; the project goes into operation) or not passed (with a reason).",
        AcceptanceDecideSerializer,
    )
    def post(self, request, id):
        return self.act(request, id)

    def run(self, request, id, data, **kwargs):
        services.acceptance_decide(actor=request.user, project_id=id, **data)


class StandardView(_Action):
    refusal_action = "acceptance_standard"
    serializer = StandardSerializer

    @_doc("The standard published after acceptance (莱州 第十五条, from 500万).", StandardSerializer)
    def post(self, request, id):
        return self.act(request, id)

    def run(self, request, id, data, **kwargs):
        services.standard_record(actor=request.user, project_id=id, **data)
