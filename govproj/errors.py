"""The ApplicationError family and its single mapping to HTTP.

Services raise these; the API exception handler and the page views turn them into
responses. Codes are stable strings that clients may switch on.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """Base of every error a service may raise on purpose."""

    http_status = status.HTTP_400_BAD_REQUEST
    code = "application_error"
    default_message = _("The request could not be carried out.")

    def __init__(self, message: str | None = None, *, extra: dict[str, Any] | None = None):
        self.message = str(message or self.default_message)
        self.extra = extra or {}
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "detail": self.message, **self.extra}


class ValidationFailed(ApplicationError):
    """Input that is malformed: unknown field, wrong type, bad date."""

    code = "invalid"
    default_message = _("The input is not valid.")


class RuleViolation(ApplicationError):
    """A rule of the jurisdiction's measure forbids the action; `extra['verdicts']` says which."""

    code = "rule_violation"
    default_message = _("A rule of the measure forbids this action.")


class MissingDocuments(RuleViolation):
    code = "missing_documents"
    default_message = _("Required documents are missing.")


class InvalidTransition(ApplicationError):
    """The object is not in a state that allows the action; `extra['allowed']` lists what is."""

    http_status = status.HTTP_409_CONFLICT
    code = "invalid_transition"
    default_message = _("This action is not allowed in the current state.")


class ConcurrentUpdate(InvalidTransition):
    code = "concurrent_update"
    default_message = _("Someone else changed this record first; reload and try again.")


class PreconditionFailed(ApplicationError):
    """`If-Match` names a version that is no longer current; `extra['version']` is the current one."""

    http_status = status.HTTP_412_PRECONDITION_FAILED
    code = "precondition_failed"
    default_message = _("The record has changed since you read it; reload it and apply your change again.")


class NotPermitted(ApplicationError):
    http_status = status.HTTP_403_FORBIDDEN
    code = "permission_denied"
    default_message = _("Your role does not allow this action.")


class NotFound(ApplicationError):
    """Also raised for another tenant's objects, so their existence is not revealed."""

    http_status = status.HTTP_404_NOT_FOUND
    code = "not_found"
    default_message = _("Not found.")


def api_exception_handler(exc, context):
    """DRF handler: ApplicationError → its status and body; Django's 404/403 → DRF's.

    A view with `record_refusal(error)` (the project API) gets refusals written to the
    security log here, after the service's transaction has rolled back.
    """
    if isinstance(exc, ApplicationError):
        record = getattr(context.get("view"), "record_refusal", None)
        if record is not None:
            record(exc)
        return Response(exc.as_dict(), status=exc.http_status)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "code" not in response.data:
        code = getattr(exc, "default_code", "error")
        if isinstance(exc, drf_exceptions.ValidationError):
            response.data = {
                "code": "invalid",
                "detail": _("The input is not valid."),
                "errors": response.data,
            }
        else:
            response.data = {"code": code, **response.data}
    return response
