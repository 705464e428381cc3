"""What the pages of a project's records share: the project or a 404, and a service run from a form.

A refusal from the service is written to the security log (as the API's refusals are) and shown
on the form; a project the person may not see is a 404, never a 403 that says it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404

from govproj.errors import ApplicationError, NotFound
from govproj.pages import form_errors
from projects.models import Project
from projects.selectors import project_for
from security.services import project_refusal_record

REFUSED = object()


def project_or_404(user, pk) -> Project:
    try:
        return project_for(user, pk)
    except NotFound as exc:
        raise Http404 from exc


def run_on_form(
    request,
    form,
    call: Callable[[], Any],
    *,
    project_id,
    action: str,
    show: Callable[[Any, ApplicationError], None] = form_errors,
) -> Any:
    """`call()`'s result, or REFUSED with the refusal logged and shown on the form by `show`."""
    try:
        return call()
    except NotFound as exc:
        raise Http404 from exc
    except ApplicationError as error:
        project_refusal_record(request=request, project_id=project_id, action=action, error=error)
        show(form, error)
        form.refusal_status = error.http_status  # 403 for a role without the right, 409 for a state
        return REFUSED


def answer_status(request, form) -> int:
    """A form page's status: 200 to show it, the refusal's own status (403, 409, 400) after a POST."""
    if request.method != "POST":
        return 200
    return getattr(form, "refusal_status", 400)
