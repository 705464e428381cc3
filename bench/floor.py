"""Floor views: what the same page of the same table costs a bare Django app.

The product's list and detail are measured against these (bench/http.py). A floor view runs
under the same middleware (sessions, CSRF, auth, CSP, axes …) and answers the same question
the product does, the way a Django app with no framework on top would: one query for the
user's memberships, one `.values()` query for the rows, a JsonResponse. No serializer, no
template, no pagination count, no object permissions (guardian grants are left out). What
the product spends above this is its own overhead.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, JsonResponse

from jurisdictions.models import Membership, Role
from projects.models import JURISDICTION_WIDE_ROLES, Phase, Project

# The columns the project list shows (the rule pack by id: its label needs another join).
COLUMNS = (
    "id",
    "code",
    "title",
    "jurisdiction__code",
    "department__name_zh",
    "category",
    "total_investment_wan",
    "funding_source",
    "year",
    "phase",
    "rule_pack_id",
    "version",
    "created_at",
    "updated_at",
)
DEFAULT_SIZE = 25
MAX_SIZE = 100


def _refused(request: HttpRequest) -> JsonResponse | None:
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Authentication credentials were not provided."}, status=401)
    return None


def visible_projects(user):
    """The projects the user may see, from one query on their memberships."""
    if user.is_superuser:
        return Project.objects.all()
    jurisdictions, departments = set(), set()
    for role, jurisdiction_id, department_id in Membership.objects.filter(user=user).values_list(
        "role", "jurisdiction_id", "department_id"
    ):
        if role in JURISDICTION_WIDE_ROLES:
            jurisdictions.add(jurisdiction_id)
        elif role == Role.DEPARTMENT_STAFF and department_id is not None:
            departments.add(department_id)
    return Project.objects.filter(Q(jurisdiction_id__in=jurisdictions) | Q(department_id__in=departments))


def project_list(request: HttpRequest) -> JsonResponse:
    """Page 1 of the user's projects, newest first: `?phase=` (repeatable), `?q=`, `?size=`."""
    if refused := _refused(request):
        return refused
    phases = request.GET.getlist("phase")
    unknown = [phase for phase in phases if phase not in Phase.values]
    if unknown:
        return JsonResponse({"phase": [f"unknown phase {unknown[0][:40]!r}"]}, status=400)
    size = request.GET.get("size", str(DEFAULT_SIZE))
    if not size.isascii() or not size.isdecimal() or not 1 <= int(size) <= MAX_SIZE:
        return JsonResponse({"size": [f"a whole number from 1 to {MAX_SIZE}"]}, status=400)
    projects = visible_projects(request.user)
    if phases:
        projects = projects.filter(phase__in=phases)
    if search := request.GET.get("q"):
        projects = projects.filter(Q(code__icontains=search) | Q(title__icontains=search))
    rows = list(projects.order_by("-created_at", "-id").values(*COLUMNS)[: int(size)])
    return JsonResponse({"results": rows})


def project_detail(request: HttpRequest, pk: int) -> JsonResponse:
    """One of the user's projects by id, the same columns as the list."""
    if refused := _refused(request):
        return refused
    row = visible_projects(request.user).filter(pk=pk).values(*COLUMNS).first()
    if row is None:
        return JsonResponse({"detail": "Not found."}, status=404)
    return JsonResponse(row)
