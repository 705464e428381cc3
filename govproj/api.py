"""Tenant-scoped API base classes: querysets go through `for_user`, so another tenant's object is a 404."""

from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.views import APIView

from govproj.errors import ValidationFailed


def valid(serializer: serializers.Serializer):
    """The serializer's validated data, or ValidationFailed (400) carrying its errors by field."""
    if not serializer.is_valid():
        raise ValidationFailed(extra={"errors": serializer.errors})
    return serializer.validated_data


class TenantScopedMixin:
    """Views whose queryset's model has a `for_user(user, action)` queryset method."""

    scoped_action = "view"

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user, self.scoped_action)


class TenantReadOnlyViewSet(TenantScopedMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ServiceAPIView(APIView):
    """A door onto one service: parse, call, serialise; errors map through govproj.errors."""
