"""API doors onto notifications (/api/v1/notifications/…): your list, marking read, your e-mail choice.

Every caller sees only their own notifications: someone else's is a 404, like one that does not exist.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import ServiceAPIView, valid
from projects.notifications import selectors, services
from projects.notifications.models import EmailMode, Notification

NOTIFICATION_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="notification id"
)


class NotificationSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", allow_null=True, default=None)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "url",
            "project",
            "project_title",
            "created_at",
            "read_at",
            "emailed_at",
            "unread",
        ]
        read_only_fields = fields
        extra_kwargs = {"url": {"help_text": "the thing to do: a path on this site"}}

    def get_unread(self, notification) -> bool:
        return notification.read_at is None


class ListQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)


class NotificationListView(generics.ListAPIView):
    serializer_class = NotificationSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unread", OpenApiTypes.BOOL, description="only the unread ones (true), or all (default)"
            )
        ]
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        """Your notifications, unread first then newest first (paged)."""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = valid(ListQuerySerializer(data=self.request.query_params))
        return selectors.notification_list(user=self.request.user, unread_only=query["unread"])


class NotificationReadView(ServiceAPIView):
    @extend_schema(parameters=[NOTIFICATION_ID], request=None, responses=NotificationSerializer)
    def post(self, request: Request, id: str) -> Response:
        """Mark one of your notifications read (already read: unchanged); someone else's: 404."""
        row = services.notification_mark_read(user=request.user, notification_id=id)
        return Response(NotificationSerializer(row).data)


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="how many were unread")


class NotificationReadAllView(ServiceAPIView):
    @extend_schema(request=None, responses=ReadAllSerializer)
    def post(self, request: Request) -> Response:
        """Mark all your notifications read."""
        return Response({"marked": services.notification_mark_all_read(user=request.user)})


class PreferenceSerializer(serializers.Serializer):
    email_mode = serializers.ChoiceField(
        choices=EmailMode.choices, help_text="immediate (one e-mail each), digest (daily) or none"
    )
    # A CharField: an account may have no address yet, and "" is not a valid "email" format.
    email = serializers.CharField(
        read_only=True, help_text="where the e-mail goes (your account's); empty when it has none"
    )


class NotificationPreferenceView(ServiceAPIView):
    def _answer(self, request: Request) -> Response:
        return Response(
            PreferenceSerializer(
                {"email_mode": selectors.email_mode_of(request.user), "email": request.user.email}
            ).data
        )

    @extend_schema(responses=PreferenceSerializer)
    def get(self, request: Request) -> Response:
        """How you are told by e-mail (immediately unless you chose otherwise)."""
        return self._answer(request)

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def put(self, request: Request) -> Response:
        """Choose how you are told by e-mail: immediately, a daily digest, or none."""
        data = valid(PreferenceSerializer(data=request.data))
        services.notification_preference_set(user=request.user, email_mode=data["email_mode"])
        return self._answer(request)
