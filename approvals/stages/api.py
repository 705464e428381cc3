"""API doors onto the approval stages (/api/v1/projects/{id}/stages/…). Views parse, call one service,
serialise. Another tenant's project is a 404, a role without the right a 403, a stage whose state does
not allow the action a 409 with `allowed`, a missing document a 400 naming it and its article.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from approvals.stages import services
from approvals.stages.selectors import decider_label, may, project_stages
from govproj.api import valid
from govproj.errors import NotFound
from projects.api import PROJECT_ID, ProjectRecordView
from projects.selectors import pack_for_project, project_for
from security.tokens import PersonSerializer

STAGE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="the stage's code in the pack")
AMOUNT = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}


class StageRoundSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    requested_amount_wan = serializers.DecimalField(allow_null=True, **AMOUNT)
    submitted_by = PersonSerializer(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    review_passed_by = PersonSerializer(allow_null=True)
    review_passed_at = serializers.DateTimeField(allow_null=True)
    decided_by = PersonSerializer(allow_null=True)
    on_behalf_of = PersonSerializer(allow_null=True, help_text="the delegator, when decided by a delegate")
    decider = serializers.SerializerMethodField(help_text="「受托人（代委托人）」 when delegated")
    decided_at = serializers.DateTimeField(allow_null=True)
    document_number = serializers.CharField(help_text="批复文号")
    approved_amount_wan = serializers.DecimalField(allow_null=True, **AMOUNT)
    decision_date = serializers.DateField(allow_null=True)
    conditions = serializers.CharField()
    filing_fields = serializers.DictField(child=serializers.CharField())
    reason = serializers.CharField()

    def get_decider(self, row) -> str:
        return decider_label(row)


class StageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    decision = serializers.CharField(help_text="approval or filing")
    amount = serializers.BooleanField(help_text="the decision states an approved amount")
    article = serializers.CharField()
    current = serializers.BooleanField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    allowed = serializers.ListField(child=serializers.CharField())
    latest = StageRoundSerializer(source="row", allow_null=True)
    earlier = StageRoundSerializer(many=True)


class StageClockSerializer(serializers.Serializer):
    due_date = serializers.DateField()
    anchor_date = serializers.DateField(allow_null=True)
    working_days_left = serializers.IntegerField()
    overdue = serializers.BooleanField()
    done_on = serializers.DateField(allow_null=True)
    article = serializers.CharField()


class StageBaselineSerializer(serializers.Serializer):
    amount_wan = serializers.DecimalField(**AMOUNT)
    previous_amount_wan = serializers.DecimalField(allow_null=True, **AMOUNT)
    stage = serializers.CharField(
        source="source_stage.code", allow_null=True, default=None, help_text="null: set by a change request"
    )
    set_at = serializers.DateTimeField()
    set_by = PersonSerializer()


class StagesSerializer(serializers.Serializer):
    track = serializers.CharField(allow_null=True)
    track_name = serializers.CharField()
    stages = StageSerializer(many=True)
    clock = StageClockSerializer(allow_null=True)
    baseline = StageBaselineSerializer(allow_null=True)
    baseline_history = StageBaselineSerializer(many=True)
    may = serializers.DictField(child=serializers.BooleanField(), help_text="what you may do now")


class StageSubmitSerializer(serializers.Serializer):
    requested_amount_wan = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class StageCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class StageApproveSerializer(serializers.Serializer):
    document_number = serializers.CharField(max_length=100, help_text="批复文号")
    decision_date = serializers.DateField()
    amount_wan = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    conditions = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class StageFileSerializer(serializers.Serializer):
    fields = serializers.DictField(
        child=serializers.CharField(max_length=2000, allow_blank=True), default=dict
    )
    decision_date = serializers.DateField()
    amount_wan = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    document_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class StageReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)
    to_stage = serializers.CharField(max_length=40, required=False, allow_null=True, default=None)


class StageRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


def _stages(request, project_id) -> Response:
    project = project_for(request.user, project_id)
    overview = project_stages(project)
    if overview is None:  # a measure without approval stages: none to list
        empty = {"track": None, "track_name": "", "stages": [], "clock": None, "baseline": None}
        return Response(StagesSerializer({**empty, "baseline_history": [], "may": {}}).data)
    lines = overview["lines"]
    data = {
        "track": overview["track"].code if overview["track"] else None,
        "track_name": overview["track_name"],
        "stages": [
            {
                "code": line.code,
                "name": line.name,
                "decision": line.decision,
                "amount": line.amount,
                "article": line.article,
                "current": line.current,
                "status": line.status,
                "status_label": line.status_label,
                "allowed": line.allowed,
                "row": line.row,
                "earlier": line.earlier,
            }
            for line in lines
        ],
        "clock": overview["clock"],
        "baseline": overview["baseline"],
        "baseline_history": overview["baseline_history"],
        "may": may(request.user, project, overview["approval"], overview["current"]),
    }
    return Response(StagesSerializer(data).data)


class StageListView(ProjectRecordView):
    @extend_schema(parameters=[PROJECT_ID], responses=StagesSerializer)
    def get(self, request: Request, id) -> Response:
        """The project's approval track and stages (every round), the decision clock and the baseline."""
        return _stages(request, id)


class _StageAction(ProjectRecordView):
    serializer = StageCommentSerializer

    def run(self, request, id, code, data):  # pragma: no cover - each subclass says
        raise NotImplementedError

    def post(self, request: Request, id, code) -> Response:
        project = project_for(request.user, id)  # another tenant's project: 404 before anything is read
        approval = pack_for_project(project).spec.review.approval
        if approval is None or approval.stage(code) is None:
            raise NotFound()  # no such stage in this project's measure
        data = valid(self.serializer(data=request.data))
        self.run(request, id, code, data)
        return _stages(request, id)


def _doc(summary: str, serializer):
    return extend_schema(
        parameters=[PROJECT_ID, STAGE], request=serializer, responses=StagesSerializer, description=summary
    )


class StageSubmitView(_StageAction):
    refusal_action = "stage_submit"
    serializer = StageSubmitSerializer

    @_doc(
        "The department submits the stage; 400 names each missing document and its article.",
        StageSubmitSerializer,
    )
    def post(self, request, id, code):
        return super().post(request, id, code)

    def run(self, request, id, code, data):
        services.stage_submit(actor=request.user, project_id=id, code=code, **data)


class StageWithdrawView(_StageAction):
    refusal_action = "stage_withdraw"

    @_doc("The department withdraws a submitted stage before its decision.", StageCommentSerializer)
    def post(self, request, id, code):
        return super().post(request, id, code)

    def run(self, request, id, code, data):
        services.stage_withdraw(actor=request.user, project_id=id, code=code, **data)


class StagePassReviewView(_StageAction):
    refusal_action = "stage_review_pass"

    @_doc(
        "The decider records that the stage passed its review (评审通过; the clock starts).",
        StageCommentSerializer,
    )
    def post(self, request, id, code):
        return super().post(request, id, code)

    def run(self, request, id, code, data):
        services.stage_pass_review(actor=request.user, project_id=id, code=code, **data)


class StageApproveView(_StageAction):
    refusal_action = "stage_approve"
    serializer = StageApproveSerializer

    @_doc(
        "批复: document number, date, amount (where the stage states one), conditions.",
        StageApproveSerializer,
    )
    def post(self, request, id, code):
        return super().post(request, id, code)

    def run(self, request, id, code, data):
        services.stage_approve(actor=request.user, project_id=id, code=code, **data)


class StageFileView(_StageAction):
    refusal_action = "stage_file"
    serializer = StageFileSerializer

    @_doc("备案: the fields the measure lists for the filing.", StageFileSerializer)
    def post(self, request, id, code):
        return super().post(request, id, code)

    def run(self, request, id, code, data):
        services.stage_file(actor=request.user, project_id=id, code=code, **data)


class StageReturnView(_StageAction):
    refusal_action = "stage_return"
    serializer = StageReturnSerializer

    @_doc(
        "退回 to the applicant (a new round of the stage) or to an earlier stage; a reason is required.",
        StageReturnSerializer,
    )
    def post(self, request, id, code):
        return super().post(request, id, code)

    def run(self, request, id, code, data):
        services.stage_return(actor=request.user, project_id=id, code=code, **data)


class StageRejectView(_StageAction):
    refusal_action = "stage_reject"
    serializer = StageRejectSerializer

    @_doc("驳回: rejects the stage and the project; a reason is required.", StageRejectSerializer)
    def post(self, request, id, code):
        return super().post(request, id, code)

    def run(self, request, id, code, data):
        services.stage_reject(actor=request.user, project_id=id, code=code, **data)


# The decisions' routes (govproj/urls.py): /projects/{id}/stages/{code}/{action}/ (project-stage-{action}).
ACTION_VIEWS = {
    "submit": StageSubmitView,
    "withdraw": StageWithdrawView,
    "pass-review": StagePassReviewView,
    "approve": StageApproveView,
    "file": StageFileView,
    "return": StageReturnView,
    "reject": StageRejectView,
}
