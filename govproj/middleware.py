"""Refuse a NUL character in any query parameter or form field, before any view sees it.

PostgreSQL cannot store or compare a string holding NUL (psycopg raises, a 500), and no
legitimate form or filter sends one. Checking once here covers every page, the admin and
the API alike; JSON bodies are checked by govproj.parsers.JSONParser.
"""

from __future__ import annotations

import logging

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            name = _with_nul(request.GET)
            if name is None and request.method == "POST" and request.content_type in FORM_TYPES:
                name = _with_nul(request.POST)
        except MultiPartParserError:
            return _bad_request(request, None, _("The form data is malformed."))
        except SuspiciousOperation as exc:  # too many fields or files: Django's 400, as JSON on the API
            logging.getLogger(f"django.security.{exc.__class__.__name__}").warning("%s", exc)
            return _bad_request(request, None, str(exc))
        if name is not None:
            return _bad_request(request, name, _("Must not contain NUL characters."))
        return self.get_response(request)


def _with_nul(params) -> str | None:
    """The first parameter whose name or any value holds a NUL character."""
    for name, values in params.lists():
        if "\x00" in name or any("\x00" in value for value in values if isinstance(value, str)):
            return name.replace("\x00", "\\x00")
    return None


def _bad_request(request, name: str | None, problem: str):
    if request.path.startswith("/api/"):
        body = {"code": "invalid", "detail": str(_("The input is not valid."))}
        body["errors"] = {name or "body": [problem]}
        return JsonResponse(body, status=400)
    text = f"{name}: {problem}" if name else problem
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")
