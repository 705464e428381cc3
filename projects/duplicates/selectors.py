"""Projects that look like this one (疑似重复项目): same jurisdiction, recent plan years, any phase.

Two scorers, one shape (a list of `SimilarProject`, score 0–1, best first):

- PostgreSQL: pg_trgm's `similarity()` (TrigramSimilarity) on title and description, annotated,
  thresholded and ordered in one query. pg_trgm counts only "word characters" of the database's
  LC_CTYPE: under a "C"/"POSIX" ctype, Chinese characters are not word characters and every
  Chinese title has no trigram at all. `trigram_handles_cjk` asks the database once (show_trgm of
  a Chinese word); when it cannot, PostgreSQL uses the portable scorer too. (The local server's
  databases are C.UTF-8, which classifies CJK as letters, so the trigram path is used.)
- Elsewhere (SQLite in development and tests): difflib.SequenceMatcher over a bounded candidate
  set, the jurisdiction's projects of those years, newest first, at most CANDIDATE_CAP. Its ratio
  is close to, not equal to, trigram similarity: both are 1 for equal texts and fall towards 0 as
  texts share less, so the same threshold serves, but the numbers differ.

The title weighs more than the description; when the project has no description the title alone
scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import connection
from django.db.models import F, FloatField, Value
from django.db.models.functions import Cast

from govproj.errors import NotPermitted
from jurisdictions.models import Role
from projects.duplicates.models import DuplicateFinding
from projects.models import Project
from projects.selectors import project_for, roles_of

TITLE_WEIGHT = 0.7
DESCRIPTION_WEIGHT = 1 - TITLE_WEIGHT
THRESHOLD = 0.3  # below this a project is not listed
CANDIDATE_CAP = 500  # the portable scorer reads at most this many projects
DESCRIPTION_CHARS = 1000  # the portable scorer compares the beginnings of long descriptions
SIMILAR_ROLES = frozenset({Role.REVIEWER, Role.DEPARTMENT_STAFF})

_cjk_support: dict[str, bool] = {}


@dataclass
class SimilarProject:
    project: Project
    score: float  # 0–1

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def may_see_similar(user, project: Project) -> bool:
    """Reviewers of the jurisdiction and the project's own department staff.

    The list names other departments' projects (any department is the point of the check), so it
    is shown to those who file or review this project, not to every role.
    """
    return user.is_superuser or bool(roles_of(user, project) & SIMILAR_ROLES)


def trigram_handles_cjk() -> bool:
    """Whether pg_trgm makes trigrams of Chinese characters on this database (see the module doc)."""
    if connection.vendor != "postgresql":
        return False
    key = f"{connection.alias}:{connection.settings_dict['NAME']}"
    if key not in _cjk_support:
        with connection.cursor() as cursor:
            cursor.execute("SELECT cardinality(show_trgm(%s))", ["政务"])
            _cjk_support[key] = (cursor.fetchone()[0] or 0) > 0
    return _cjk_support[key]


def _candidates(jurisdiction_id: int, year: int, years: int, exclude_pk: int | None):
    queryset = Project.objects.filter(jurisdiction_id=jurisdiction_id, year__range=(year - years, year))
    return queryset.exclude(pk=exclude_pk) if exclude_pk else queryset


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _trigram_scored(queryset, title: str, description: str, limit: int) -> list[SimilarProject]:
    from django.contrib.postgres.search import TrigramSimilarity

    score = TrigramSimilarity("title", title)
    if description:
        score = score * Value(TITLE_WEIGHT) + TrigramSimilarity("description", description) * Value(
            DESCRIPTION_WEIGHT
        )
    rows = (
        queryset.annotate(similarity=Cast(score, FloatField()))
        .filter(similarity__gte=THRESHOLD)
        .select_related("department")
        .order_by(F("similarity").desc(), "-year", "-id")[:limit]
    )
    return [SimilarProject(row, min(1.0, max(0.0, float(row.similarity)))) for row in rows]


def _portable_scored(queryset, title: str, description: str, limit: int) -> list[SimilarProject]:
    rows = queryset.order_by("-year", "-id").values_list("pk", "title", "description")[:CANDIDATE_CAP]
    description = description[:DESCRIPTION_CHARS]
    scored = []
    for pk, other_title, other_description in rows:
        score = _ratio(title, other_title)
        if description:
            score = TITLE_WEIGHT * score + DESCRIPTION_WEIGHT * _ratio(
                description, other_description[:DESCRIPTION_CHARS]
            )
        if score >= THRESHOLD:
            scored.append((score, pk))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    scored = scored[:limit]
    projects = Project.objects.select_related("department").in_bulk([pk for _, pk in scored])
    return [SimilarProject(projects[pk], score) for score, pk in scored if pk in projects]


def similar_projects(
    *,
    user,
    project: Project | None = None,
    jurisdiction=None,
    year: int | None = None,
    title: str = "",
    description: str = "",
    limit: int = 10,
    years: int = 3,
) -> list[SimilarProject]:
    """Other projects of the jurisdiction like `project` (or like a title and description not saved yet).

    Plan year within `years` years before the project's (or `year`) up to it; any phase and
    department. At most two queries whatever the number of candidates. `user` must be one who
    may see the list (`may_see_similar`) when a project is given.
    """
    if project is not None:
        if not may_see_similar(user, project):
            raise NotPermitted()
        jurisdiction_id, year = project.jurisdiction_id, project.year
        title, description = project.title, project.description
    else:
        jurisdiction_id = getattr(jurisdiction, "pk", jurisdiction)
    title, description = (title or "").strip(), (description or "").strip()
    if not title or jurisdiction_id is None or year is None:
        return []
    queryset = _candidates(jurisdiction_id, year, years, project.pk if project is not None else None)
    if trigram_handles_cjk():
        return _trigram_scored(queryset, title, description, limit)
    return _portable_scored(queryset, title, description, limit)


def similar_for(user, project_id) -> tuple[Project, list[SimilarProject]]:
    """The API's door: the project (404 outside the user's view), then the list (403 for other roles)."""
    project = project_for(user, project_id)
    return project, similar_projects(user=user, project=project)


def duplicate_findings(project: Project) -> list[DuplicateFinding]:
    """The project's findings, newest first (the first is the current one)."""
    return list(
        DuplicateFinding.objects.filter(project=project)
        .select_related("other", "decided_by")
        .order_by("-decided_at", "-id")
    )
