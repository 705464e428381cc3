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


# Errors any operation may answer with, documented once for every endpoint (drf-spectacular
# postprocessing hook, SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]); all share one body.
ERROR_RESPONSES = {
    "400": "invalid input: `errors` names each field, parameter or fact and what is wrong",
    "401": "not signed in, or the token is unknown or expired",
    "403": "your role does not allow this",
    "404": "no such object, or one of another jurisdiction",
    "429": "too many requests; Retry-After says when to try again",
}
UNSAFE_ERROR_RESPONSES = {"409": "not allowed in the object's current state"}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "code": {"type": "string", "description": "stable, for clients to switch on"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True, "description": "name → problems"},
    },
    "required": ["code", "detail"],
    "additionalProperties": True,
}


def document_error_responses(result, generator, request, public):
    """Add the shared error responses to every operation that does not describe its own."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(ERROR_RESPONSES)
            if method in ("post", "put", "patch", "delete"):
                errors.update(UNSAFE_ERROR_RESPONSES)
            for status_code, description in errors.items():
                operation["responses"].setdefault(status_code, {"description": description, "content": body})
    return result
