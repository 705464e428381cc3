"""The security log over the API: read-only, for auditors and jurisdiction administrators."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from rest_framework import permissions, serializers, viewsets

from security.models import Kind, Outcome, SecurityEvent
from security.selectors import may_read_security_log, person_name


class ReadsSecurityLog(permissions.BasePermission):
    message = "Only auditors and jurisdiction administrators read the security log."

    def has_permission(self, request, view) -> bool:
        return may_read_security_log(request.user)


class SecurityEventFilter(django_filters.FilterSet):
    person = django_filters.NumberFilter(method="by_person", label="user id: acted or concerned")
    username = django_filters.CharFilter(field_name="username", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label="from (YYYY-MM-DD)")
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label="to (YYYY-MM-DD)")
    jurisdiction = django_filters.CharFilter(field_name="jurisdiction__code")

    class Meta:
        model = SecurityEvent
        fields = ["person", "username", "kind", "outcome", "since", "until", "jurisdiction"]

    def by_person(self, queryset, name, value):
        return queryset.filter(Q(actor_id=value) | Q(subject_user_id=value))


class SecurityEventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    actor = serializers.SerializerMethodField()
    subject_user = serializers.SerializerMethodField()
    jurisdiction = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = SecurityEvent
        fields = [
            "id",
            "at",
            "kind",
            "kind_label",
            "outcome",
            "outcome_label",
            "actor",
            "subject_user",
            "username",
            "ip",
            "user_agent",
            "jurisdiction",
            "target",
            "reason",
            "data",
            "stream",
            "seq",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields

    def _person(self, user) -> dict | None:
        return {"id": user.pk, "username": user.username, "name": person_name(user)} if user else None

    def get_actor(self, event) -> dict | None:
        return self._person(event.actor)

    def get_subject_user(self, event) -> dict | None:
        return self._person(event.subject_user)


class SecurityEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The security audit log (安全审计日志) of your jurisdictions, newest first; nobody edits it."""

    serializer_class = SecurityEventSerializer
    permission_classes = [permissions.IsAuthenticated, ReadsSecurityLog]
    filterset_class = SecurityEventFilter

    def get_queryset(self):
        return (
            SecurityEvent.objects.for_user(self.request.user)
            .select_related("actor", "subject_user", "jurisdiction")
            .order_by("-at", "-pk")
        )
