from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import defaults


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    from projects.home.views import home as home_page

    # Each person's own (projects.home): 待办, deadlines, overdue items, recent activity; the finance
    # officer's also the O&M funding queue.
    return home_page(request)


# Error handlers: the API answers JSON in the shape of govproj.errors everywhere, also for URLs
# that match no route (which DRF never sees); pages get the Chinese templates/40x.html, 500.html.


def _for_api(request) -> bool:
    return request.path.startswith("/api/")


def _json_error(status: int, code: str, detail) -> JsonResponse:
    return JsonResponse({"code": code, "detail": str(detail)}, status=status)


def bad_request(request, exception):
    if _for_api(request):
        return _json_error(400, "invalid", _("The request is not valid."))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _for_api(request):
        return _json_error(403, "permission_denied", _("Your role does not allow this action."))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _for_api(request):
        return _json_error(404, "not_found", _("Not found."))
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _for_api(request):
        return _json_error(500, "server_error", _("Something went wrong on our side; it has been logged."))
    return defaults.server_error(request)
