"""The registry of report kinds: what can be printed, about what, by whom, and how it is built.

Each kind lives in its own module under projects.reports.documents and registers itself with
`register(ReportKind(...))`; projects.reports.hooks imports them at start-up. The services, pages
and API know kinds only through this registry.

A kind is either a project's (`scope="project"`: its subjects are records of one project — the
project itself, an approved stage, its evaluation …) or a jurisdiction's (`scope="jurisdiction"`:
the annual plan table, the rule-pack summary); a jurisdiction's kind may also be offered on a
project page, about the project's plan or pack (`project_subjects`).

Building: a PDF kind gives `template` and `context(report, progress)`; projects.reports.render
turns that into a PDF with the shared header, page numbers and font. A kind that builds another
file (the dossier's ZIP) gives `build(report, progress, directory) -> Built` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.functional import Promise

from jurisdictions.models import Role


@dataclass(frozen=True)
class Subject:
    """One thing a report can be printed about, as offered on a page and accepted by the service."""

    key: str  # "stage:12", "project:7", "plan:3", "pack:5": unique within the jurisdiction and kind
    label: str  # what a person reads: "可行性研究报告（第1轮）"
    number: str = ""  # the document number the report carries when the record has one (批复文号)
    rule_pack: Any = None  # the pack version the report applies (None: the project's or jurisdiction's)


@dataclass(frozen=True)
class Built:
    """A finished file on local disk, which the builder stores through Django's storage and deletes."""

    path: Path
    file_name: str  # the name people download it under


# progress(percent, step): the builder says how far it has got; the page's bar reads it.
Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class ReportKind:
    code: str
    label: str | Promise  # 批复文件, 评审意见汇总 …
    scope: str  # "project" or "jurisdiction"
    # Project kinds: subjects(user, project) -> the subjects printable now (empty: not yet).
    # Jurisdiction kinds: subjects(user, jurisdiction) likewise.
    subjects: Callable[..., list[Subject]]
    # Why nothing is printable yet (shown instead of the button), e.g. "no stage approved yet".
    unavailable: str | Promise = ""
    # Who may request and download it: None = anyone who may see the project (or is a member of the
    # jurisdiction); else these roles in the jurisdiction (superusers always).
    roles: frozenset[Role] | None = None
    # A jurisdiction kind offered on a project page: project_subjects(user, project) -> subjects.
    project_subjects: Callable[..., list[Subject]] | None = None
    # PDF kinds:
    template: str = ""
    context: Callable[..., dict[str, Any]] | None = None  # context(report, progress) -> dict
    # Other files (ZIP): build(report, progress, directory) -> Built
    build: Callable[..., Built] | None = None
    extension: str = "pdf"
    order: int = 100
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.scope not in ("project", "jurisdiction"):
            raise ValueError(f"report kind {self.code}: scope must be project or jurisdiction")
        if (self.context is None) == (self.build is None):
            raise ValueError(f"report kind {self.code}: give either template+context or build")
        if self.context is not None and not self.template:
            raise ValueError(f"report kind {self.code}: a PDF kind needs its template")


KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    if kind.code in KINDS:
        raise ValueError(f"report kind {kind.code} registered twice")
    KINDS[kind.code] = kind
    return kind


def kind_of(code: str) -> ReportKind | None:
    return KINDS.get(code)


def ordered_kinds() -> list[ReportKind]:
    return sorted(KINDS.values(), key=lambda k: (k.order, k.code))
