"""API door onto the inbox: GET /api/v1/inbox/ (待办 / 已办) and POST /api/v1/inbox/batch/."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from approvals.inbox.services import BATCH_ACTIONS, decide_batch, done_items, pending_items
from govproj.api import ServiceAPIView, valid
from govproj.errors import ValidationFailed


class InboxPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class InboxItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="the source: intake, review_step, opinion, stage…")
    key = serializers.CharField(help_text="the item's id within its kind (what a batch names)")
    what = serializers.CharField(help_text="what is to be done, in the request's language")
    url = serializers.CharField(help_text="the page where it is done")
    project_id = serializers.IntegerField()
    project_code = serializers.CharField()
    project_title = serializers.CharField()
    department = serializers.CharField()
    amount_wan = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="in 万元")
    since = serializers.DateTimeField(help_text="waiting since (待办) or decided at (已办)")
    due = serializers.DateField(allow_null=True, help_text="the clock, when a rule sets one")
    for_whom = serializers.CharField(help_text="the delegator's name when you act for them (代理审批)")
    batch = serializers.ListField(child=serializers.CharField(), help_text="batch actions the item allows")
    outcome = serializers.CharField(help_text="已办: what was decided")


class InboxView(ServiceAPIView):
    pagination_class = InboxPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("tab", str, enum=["pending", "done"], description="待办 (default) or 已办")
        ],
        responses=InboxItemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """What waits on you (the soonest clock first), or with `tab=done` what you decided (latest first).

        Items waiting on someone whose delegation to you is in force carry `for_whom`.
        """
        tab = request.query_params.get("tab", "pending")
        if tab not in ("pending", "done"):
            raise ValidationFailed(extra={"errors": {"tab": ["pending or done"]}})
        items = done_items(request.user) if tab == "done" else pending_items(request.user)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(items, request, view=self)
        return paginator.get_paginated_response(InboxItemSerializer(page, many=True).data)


class InboxBatchRequestSerializer(serializers.Serializer):
    kind = serializers.CharField()
    keys = serializers.ListField(child=serializers.CharField(max_length=100), min_length=1, max_length=500)
    action = serializers.ChoiceField(choices=BATCH_ACTIONS)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class InboxBatchResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    key = serializers.CharField()
    done = serializers.BooleanField()
    reason = serializers.CharField(help_text="why not, when not done")
    code = serializers.CharField(help_text="the refusal's error code, when not done")


class InboxBatchResponseSerializer(serializers.Serializer):
    results = InboxBatchResultSerializer(many=True)


class InboxBatchView(ServiceAPIView):
    @extend_schema(request=InboxBatchRequestSerializer, responses=InboxBatchResponseSerializer)
    def post(self, request: Request) -> Response:
        """Approve or return several items of one kind; each is checked again and decided on its own.

        200 with one result per item (`done`, or `reason` and `code`): some may be refused while the
        others are done; a refused item is left as it was. 400 for an unknown kind or action, or a
        return without a `comment`.
        """
        data = valid(InboxBatchRequestSerializer(data=request.data))
        pairs = [(data["kind"], key) for key in data["keys"]]
        results = decide_batch(request.user, pairs, data["action"], data["comment"])
        return Response(InboxBatchResponseSerializer({"results": results}).data)
