"""API doors onto change requests (/api/v1/projects/{id}/changes/…) and the final accounts' surplus.

Views parse, call one service, serialise. Another tenant's project (or a request of another project)
is a 404, a role without the right a 403, a request whose state does not allow the action a 409 with
`allowed`, bad input a 400 naming the field, a change the measure cannot route yet a 400 naming the
facts it needs.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from budgets.changes import services
from budgets.changes.models import ChangeReason, ChangeRequest, FinalAccount
from budgets.changes.routing import BEYOND_LABELS, route_label
from budgets.changes.selectors import baseline_rows, change_requests, decorate, may
from govproj.api import valid
from govproj.errors import NotFound
from projects.api import PROJECT_ID, ProjectRecordView
from projects.selectors import parsed_project_id, project_for
from security.tokens import PersonSerializer

REQUEST_ID = OpenApiParameter(
    "request_id",
    {"type": "integer", "minimum": 1},
    OpenApiParameter.PATH,
    description="the change request's id",
)
AMOUNT = {"max_digits": 16, "decimal_places": 2, "coerce_to_string": True}
IN = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


class ChangeRouteSerializer(serializers.Serializer):
    route = serializers.CharField(help_text="the pack's route code (route_within / route_beyond)")
    route_label = serializers.CharField()
    disposition = serializers.CharField(help_text="filing, approval or new_declaration")
    rule_id = serializers.CharField()
    article = serializers.CharField()
    message = serializers.CharField()
    ratio_percent = serializers.DecimalField(allow_null=True, **AMOUNT)
    adjustment_wan = serializers.DecimalField(allow_null=True, **AMOUNT)
    beyond_because = serializers.ListField(child=serializers.CharField())
    beyond_labels = serializers.ListField(child=serializers.CharField())
    missing_facts = serializers.ListField(child=serializers.CharField())


class ChangeRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    status_label = serializers.CharField()
    content = serializers.CharField()
    increases_wan = serializers.DecimalField(**AMOUNT)
    decreases_wan = serializers.DecimalField(**AMOUNT)
    new_content_wan = serializers.DecimalField(**AMOUNT)
    tender_savings_wan = serializers.DecimalField(**AMOUNT)
    goal_changed = serializers.BooleanField()
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    explanation = serializers.CharField()
    estimate_wan = serializers.DecimalField(allow_null=True, **AMOUNT)
    resulting_total_wan = serializers.DecimalField(allow_null=True, **AMOUNT)
    adjustment_wan = serializers.DecimalField(allow_null=True, **AMOUNT)
    ratio_percent = serializers.DecimalField(allow_null=True, **AMOUNT)
    route = serializers.CharField()
    route_label = serializers.CharField()
    disposition = serializers.CharField()
    rule_id = serializers.CharField()
    article = serializers.CharField()
    route_message = serializers.CharField()
    beyond_because = serializers.ListField(child=serializers.CharField())
    beyond_labels = serializers.ListField(child=serializers.CharField())
    rule_pack_version = serializers.IntegerField(source="rule_pack.version", allow_null=True, default=None)
    created_by = PersonSerializer()
    created_at = serializers.DateTimeField()
    submitted_by = PersonSerializer(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_by = PersonSerializer(allow_null=True)
    on_behalf_of = PersonSerializer(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    document_number = serializers.CharField(help_text="批复文号")
    decision_date = serializers.DateField(allow_null=True)
    approved_amount_wan = serializers.DecimalField(allow_null=True, **AMOUNT)
    decision_reason = serializers.CharField()
    acknowledged_by = PersonSerializer(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    new_project = serializers.IntegerField(source="new_project_id", allow_null=True)
    allowed = serializers.ListField(child=serializers.CharField(), help_text="what the state allows now")


class BaselineRowSerializer(serializers.Serializer):
    amount_wan = serializers.DecimalField(**AMOUNT)
    previous_amount_wan = serializers.DecimalField(allow_null=True, **AMOUNT)
    source = serializers.CharField(source="source_label")
    stage = serializers.CharField(source="source_stage.code", allow_null=True, default=None)
    change_request = serializers.IntegerField(source="source_change_id", allow_null=True)
    set_at = serializers.DateTimeField()
    set_by = PersonSerializer()


class FinalAccountSerializer(serializers.Serializer):
    actual_spend_wan = serializers.DecimalField(**AMOUNT)
    baseline_wan = serializers.DecimalField(**AMOUNT)
    surplus_wan = serializers.DecimalField(**AMOUNT)
    must_return = serializers.BooleanField()
    return_rule_id = serializers.CharField()
    return_article = serializers.CharField()
    returned_by = PersonSerializer(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    returned_on = serializers.DateField(allow_null=True)
    return_reference = serializers.CharField()


class ChangesSerializer(serializers.Serializer):
    baseline = BaselineRowSerializer(allow_null=True)
    baseline_history = BaselineRowSerializer(many=True)
    requests = ChangeRequestSerializer(many=True)
    final_account = FinalAccountSerializer(allow_null=True)
    may = serializers.DictField(child=serializers.BooleanField(), help_text="what you may do now")


class ChangeInputSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=2000, help_text="the content changed")
    increases_wan = serializers.DecimalField(required=False, default=0, **IN)
    decreases_wan = serializers.DecimalField(
        required=False, default=0, help_text="tender savings included", **IN
    )
    new_content_wan = serializers.DecimalField(
        required=False, default=0, help_text="part of the increase", **IN
    )
    tender_savings_wan = serializers.DecimalField(
        required=False, default=0, help_text="part of the decrease", **IN
    )
    goal_changed = serializers.BooleanField(required=False, default=False)
    reason = serializers.ChoiceField(choices=ChangeReason.values)
    explanation = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ChangeCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ChangeApproveSerializer(serializers.Serializer):
    document_number = serializers.CharField(max_length=100, help_text="批复文号")
    decision_date = serializers.DateField()
    amount_wan = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="the approved new amount"
    )
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ChangeReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, help_text="required")


class ChangeEmptySerializer(serializers.Serializer):
    pass


class FinalAccountInputSerializer(serializers.Serializer):
    actual_spend_wan = serializers.DecimalField(**IN)


class SurplusReturnSerializer(serializers.Serializer):
    returned_on = serializers.DateField()
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


def _changes(request, project_id) -> Response:
    project = project_for(request.user, project_id)
    requests = change_requests(project)
    rows = baseline_rows(project)
    data = {
        "baseline": rows[0] if rows else None,
        "baseline_history": rows,
        "requests": requests,
        "final_account": FinalAccount.objects.filter(project=project).select_related("returned_by").first(),
        "may": may(request.user, project, requests),
    }
    return Response(ChangesSerializer(data).data)


def _one(request, project_id, request_id, status=200) -> Response:
    project = project_for(request.user, project_id)
    pk = parsed_project_id(request_id)
    found = (
        ChangeRequest.objects.filter(project=project, pk=pk).select_related("rule_pack").first()
        if pk
        else None
    )
    if found is None:
        raise NotFound()
    return Response(ChangeRequestSerializer(decorate(found)).data, status=status)


class ChangeListView(ProjectRecordView):
    refusal_action = "change_create"

    @extend_schema(parameters=[PROJECT_ID], responses=ChangesSerializer, operation_id="project_changes")
    def get(self, request: Request, id) -> Response:
        """The project's baseline and history, its change requests with their routes, its final accounts."""
        return _changes(request, id)

    @extend_schema(
        parameters=[PROJECT_ID], request=ChangeInputSerializer, responses={201: ChangeRequestSerializer}
    )
    def post(self, request: Request, id) -> Response:
        """The department drafts a change request; the route the measure would give it is stored with it."""
        project_for(request.user, id)
        data = valid(ChangeInputSerializer(data=request.data))
        created = services.change_request_create(actor=request.user, project_id=id, **data)
        return _one(request, id, created.pk, status=201)


class ChangePreviewView(ProjectRecordView):
    @extend_schema(parameters=[PROJECT_ID], request=ChangeInputSerializer, responses=ChangeRouteSerializer)
    def post(self, request: Request, id) -> Response:
        """What-if: the route the measure gives this change now; nothing is saved."""
        project = project_for(request.user, id)
        data = valid(ChangeInputSerializer(data=request.data))
        terms = services._terms(data)
        route, _estimate, _candidate = services.route_for(project, terms)
        return Response(
            ChangeRouteSerializer(
                {
                    "route": route.code,
                    "route_label": route_label(route.code),
                    "disposition": route.disposition,
                    "rule_id": route.rule_id,
                    "article": route.article,
                    "message": route.message,
                    "ratio_percent": route.ratio_percent,
                    "adjustment_wan": route.adjustment_wan,
                    "beyond_because": route.beyond_because,
                    "beyond_labels": [str(BEYOND_LABELS.get(c, c)) for c in route.beyond_because],
                    "missing_facts": route.missing_facts,
                }
            ).data
        )


class ChangeDetailView(ProjectRecordView):
    refusal_action = "change_update"

    @extend_schema(
        parameters=[PROJECT_ID, REQUEST_ID], responses=ChangeRequestSerializer, operation_id="project_change"
    )
    def get(self, request: Request, id, request_id) -> Response:
        """One change request."""
        return _one(request, id, request_id)

    @extend_schema(
        parameters=[PROJECT_ID, REQUEST_ID], request=ChangeInputSerializer, responses=ChangeRequestSerializer
    )
    def put(self, request: Request, id, request_id) -> Response:
        """The department edits a draft or returned request (every field, as when drafting)."""
        project_for(request.user, id)
        data = valid(ChangeInputSerializer(data=request.data))
        services.change_request_update(actor=request.user, project_id=id, request_id=request_id, **data)
        return _one(request, id, request_id)


class _Action(ProjectRecordView):
    serializer = ChangeCommentSerializer

    def run(self, request, id, request_id, data):  # pragma: no cover - each subclass says
        raise NotImplementedError

    def post(self, request: Request, id, request_id) -> Response:
        project_for(request.user, id)  # another tenant's project: 404 before anything is read
        data = valid(self.serializer(data=request.data))
        self.run(request, id, request_id, data)
        return _one(request, id, request_id)


def _doc(summary: str, serializer):
    return extend_schema(
        parameters=[PROJECT_ID, REQUEST_ID],
        request=serializer,
        responses=ChangeRequestSerializer,
        description=summary,
    )


class SubmitView(_Action):
    refusal_action = "change_submit"

    @_doc(
        "The department submits it; the measure routes it: filed (the baseline moves), sent to the approver, "
        "or closed because a new declaration is needed. 400 names facts the route still needs.",
        ChangeCommentSerializer,
    )
    def post(self, request, id, request_id):
        return super().post(request, id, request_id)

    def run(self, request, id, request_id, data):
        services.change_request_submit(actor=request.user, project_id=id, request_id=request_id, **data)


class WithdrawView(_Action):
    refusal_action = "change_withdraw"

    @_doc("The department withdraws a request not decided yet.", ChangeCommentSerializer)
    def post(self, request, id, request_id):
        return super().post(request, id, request_id)

    def run(self, request, id, request_id, data):
        services.change_request_withdraw(actor=request.user, project_id=id, request_id=request_id, **data)


class ApproveView(_Action):
    refusal_action = "change_approve"
    serializer = ChangeApproveSerializer

    @_doc(
        "批复: document number, date and the approved new amount (the new baseline).", ChangeApproveSerializer
    )
    def post(self, request, id, request_id):
        return super().post(request, id, request_id)

    def run(self, request, id, request_id, data):
        services.change_request_approve(actor=request.user, project_id=id, request_id=request_id, **data)


class ReturnView(_Action):
    refusal_action = "change_return"
    serializer = ChangeReasonSerializer

    @_doc("退回 for revision; a reason is required.", ChangeReasonSerializer)
    def post(self, request, id, request_id):
        return super().post(request, id, request_id)

    def run(self, request, id, request_id, data):
        services.change_request_return(actor=request.user, project_id=id, request_id=request_id, **data)


class RejectView(_Action):
    refusal_action = "change_reject"
    serializer = ChangeReasonSerializer

    @_doc("驳回: the change is refused; a reason is required.", ChangeReasonSerializer)
    def post(self, request, id, request_id):
        return super().post(request, id, request_id)

    def run(self, request, id, request_id, data):
        services.change_request_reject(actor=request.user, project_id=id, request_id=request_id, **data)


class AcknowledgeView(_Action):
    refusal_action = "change_acknowledge"

    @_doc("已知悉: the approver acknowledges a change the unit filed.", ChangeCommentSerializer)
    def post(self, request, id, request_id):
        return super().post(request, id, request_id)

    def run(self, request, id, request_id, data):
        services.change_request_acknowledge(actor=request.user, project_id=id, request_id=request_id, **data)


class NewProjectView(_Action):
    refusal_action = "change_new_project"
    serializer = ChangeEmptySerializer

    @_doc("A new project draft prefilled from a change that needs a new declaration.", ChangeEmptySerializer)
    def post(self, request, id, request_id):
        return super().post(request, id, request_id)

    def run(self, request, id, request_id, data):
        services.change_request_start_new_project(actor=request.user, project_id=id, request_id=request_id)


class FinalAccountView(ProjectRecordView):
    refusal_action = "final_account_record"

    @extend_schema(parameters=[PROJECT_ID], request=FinalAccountInputSerializer, responses=ChangesSerializer)
    def put(self, request: Request, id) -> Response:
        """决算: the department records the actual spend; the surplus and its return follow."""
        project_for(request.user, id)
        data = valid(FinalAccountInputSerializer(data=request.data))
        services.final_account_record(actor=request.user, project_id=id, **data)
        return _changes(request, id)


class SurplusReturnView(ProjectRecordView):
    refusal_action = "surplus_return"

    @extend_schema(parameters=[PROJECT_ID], request=SurplusReturnSerializer, responses=ChangesSerializer)
    def post(self, request: Request, id) -> Response:
        """The finance officer confirms the surplus was returned (where the measure says it must be)."""
        project_for(request.user, id)
        data = valid(SurplusReturnSerializer(data=request.data))
        services.surplus_return_confirm(actor=request.user, project_id=id, **data)
        return _changes(request, id)


ACTION_VIEWS = {
    "submit": SubmitView,
    "withdraw": WithdrawView,
    "approve": ApproveView,
    "return": ReturnView,
    "reject": RejectView,
    "acknowledge": AcknowledgeView,
    "new-project": NewProjectView,
}
