"""Tenant-scoped API base classes: querysets go through `for_user`, so another tenant's object is a 404."""

from __future__ import annotations

from rest_framework import generics, viewsets
from rest_framework.views import APIView


class TenantScopedMixin:
    """Views whose queryset's model has a `for_user(user, action)` queryset method."""

    scoped_action = "view"

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user, self.scoped_action)


class TenantReadOnlyViewSet(TenantScopedMixin, viewsets.ReadOnlyModelViewSet):
    pass


class TenantListAPIView(TenantScopedMixin, generics.ListAPIView):
    pass


class ServiceAPIView(APIView):
    """A door onto one service: parse, call, serialise; errors map through govproj.errors."""
