"""Read side of project documents: what is on file, its history, and the checklist per stage.

The checklist is the engine's: each required-documents verdict of the project's pack says which
documents its stage (and track) asks for; this only lays the verdicts out for people, with the
current upload of each document beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from govproj.errors import NotFound
from govproj.i18n import in_language
from jurisdictions.models import RulePack
from jurisdictions.rules.engine import Verdict
from projects.documents.models import ProjectDocument
from projects.models import Project
from projects.selectors import accepted_document_codes, parsed_project_id, project_for

ON_FILE, REQUIRED, MISSING, NOT_APPLICABLE = "on_file", "required", "missing", "not_applicable"
STATUS_LABELS = {
    REQUIRED: _("Required"),
    ON_FILE: _("On file"),
    MISSING: _("Missing"),
    NOT_APPLICABLE: _("Not applicable"),
}


def project_documents(project: Project) -> list[ProjectDocument]:
    """Every version of every document of the project, newest first within each document."""
    return list(
        ProjectDocument.objects.filter(project=project)
        .select_related("uploaded_by", "rejected_by")
        .order_by("code", "-version")
    )


def codes_on_file(documents: list[ProjectDocument]) -> frozenset[str] | None:
    """The `documents` fact from the rows `project_documents` read (None: no records at all)."""
    return accepted_document_codes((d.code, d.rejected_at) for d in documents if d.is_current)


def document_for(user, project_id, document_id) -> ProjectDocument:
    """A document of a project the user may see, else NotFound (another tenant's is simply not there)."""
    project = project_for(user, project_id)
    document_id = parsed_project_id(document_id)  # any id of a BigAutoField: digits, in range
    if document_id is None:
        raise NotFound()
    document = (
        ProjectDocument.objects.filter(project=project, pk=document_id)
        .select_related("uploaded_by", "rejected_by")
        .first()
    )
    if document is None:
        raise NotFound()
    document.project = project  # read already, with its jurisdiction and pack
    return document


@dataclass
class ChecklistItem:
    code: str
    name: str
    status: str
    document: ProjectDocument | None = None  # the current upload, rejected or not

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class ChecklistStage:
    """One required-documents rule: a stage (and track) of the measure and what it asks for."""

    rule_id: str
    title: str
    citation: str  # document number and article, e.g. 包府办发〔2024〕106号 第十一条
    outcome: str
    items: list[ChecklistItem] = field(default_factory=list)


def document_checklist(
    pack: RulePack, verdicts: list[Verdict], documents: list[ProjectDocument]
) -> list[ChecklistStage]:
    """Per stage and track, in the pack's order: each document required, on file, missing or not applicable.

    A document counts as on file when its current version is not rejected (the `documents` fact).
    `missing` is a document whose absence fails the rule (it blocks a transition); `required` one
    that is asked for but does not block, or whose stage cannot be decided yet (facts missing: the
    engine asks rather than lets it slip). A stage that does not apply (another track, another
    funding source) or a document whose condition is not met is not applicable.
    """
    current = {d.code: d for d in documents if d.is_current}
    on_file = {code for code, d in current.items() if not d.is_rejected}
    spec = pack.spec
    stages = []
    for verdict in verdicts:
        if verdict.kind != "required_documents":
            continue
        rule = spec.rule(verdict.rule_id)
        required = set(verdict.data.get("required", ()))
        stage = ChecklistStage(
            rule_id=verdict.rule_id,
            title=in_language(verdict.title),
            citation=verdict.citation.get("text") or verdict.citation.get("article", ""),
            outcome=verdict.outcome.value,
        )
        for requirement in rule.documents:
            code = requirement.code
            if verdict.outcome.value == NOT_APPLICABLE:
                status = NOT_APPLICABLE
            elif code in on_file:
                status = ON_FILE
            elif verdict.outcome.value == "unknown" or code in required:
                status = MISSING if verdict.outcome.value == "fail" else REQUIRED
            else:
                status = NOT_APPLICABLE  # its condition (`when`) is not met for this project
            stage.items.append(
                ChecklistItem(
                    code=code,
                    name=in_language(spec.document_name(code)),
                    status=status,
                    document=current.get(code),
                )
            )
        stages.append(stage)
    return stages
