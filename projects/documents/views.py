"""Pages for project documents: the section on the project page, upload, download, reject.

Each is a door like the API: the form checks the input, the service does the work and checks
role, phase and separation of duties again, a refusal is shown with its reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from govproj.errors import NotFound
from govproj.i18n import in_language
from projects.detail import is_later
from projects.documents import services
from projects.documents.api import document_response
from projects.documents.forms import DocumentRejectForm, DocumentUploadForm
from projects.documents.models import ProjectDocument
from projects.documents.selectors import NOT_APPLICABLE, document_checklist, document_for
from projects.models import Project
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form
from projects.selectors import FILING_ACTIONS, pack_for_project


def _pack_documents(project: Project) -> list[tuple[str, str]]:
    return [(d.code, in_language(d.name)) for d in pack_for_project(project).spec.documents]


def document_section(*, user, project: Project, pack, verdicts, documents: list[ProjectDocument], events):
    """The context of templates/projects/documents/_section.html (no query: the caller read it all).

    `verdicts`: the engine's Verdict objects; `documents`: `project_documents(project)`;
    `events`: the project's audit events (who filed it, for separation of duties).
    """
    names = {d.code: in_language(d.name) for d in pack.spec.documents}
    filers = {project.created_by_id} | {e.actor_id for e in events if e.action in FILING_ACTIONS}
    for document in documents:
        document.document_name = names.get(document.code, document.code)
        document.may_reject = document.can_reject() and services.may_reject(
            user, project, document, filers=filers
        )
    may_upload = services.may_upload(user, project)
    # What the project needs now first; stages that do not apply and stages of later phases
    # (acceptance documents on a draft) are folded away, never shown as missing.
    later = {v.rule_id for v in verdicts if v.kind == "required_documents" and is_later(project, v)}
    checklist = document_checklist(pack, verdicts, documents)
    return {
        "document_checklist": [
            s for s in checklist if s.rule_id not in later and s.outcome != NOT_APPLICABLE
        ],
        "document_checklist_other": [
            s for s in checklist if s.rule_id in later or s.outcome == NOT_APPLICABLE
        ],
        "document_history": documents,
        "document_upload_form": (
            DocumentUploadForm(documents=list(names.items()), prefix="document") if may_upload else None
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, pk: int):
    """Upload one of the pack's documents; a refusal keeps the chosen document and the note."""
    project = project_or_404(request.user, pk)
    form = DocumentUploadForm(
        request.POST or None, request.FILES or None, documents=_pack_documents(project), prefix="document"
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = run_on_form(
            request,
            form,
            lambda: services.document_upload(
                actor=request.user,
                project_id=project.pk,
                code=data["code"],
                file=data["file"],
                name=data["file"].name,
                note=data["note"],
            ),
            project_id=pk,
            action="document_upload",
        )
        if document is not REFUSED:
            messages.success(
                request,
                _("Uploaded: %(document)s (%(file)s).")
                % {
                    "document": dict(_pack_documents(project)).get(document.code),
                    "file": document.original_name,
                },
            )
            return redirect(reverse("projects:detail", kwargs={"pk": pk}) + "#documents")
    return render(
        request,
        "projects/documents/upload.html",
        {"project": project, "form": form, "may_upload": services.may_upload(request.user, project)},
        status=answer_status(request, form),
    )


@login_required
@require_GET
def download(request, pk: int, document_id: int):
    """The file, for anyone who may see the project: never a public media URL."""
    try:
        document = document_for(request.user, pk, document_id)
    except NotFound as exc:
        raise Http404 from exc
    return document_response(document)


@login_required
@require_http_methods(["GET", "POST"])
def reject(request, pk: int, document_id: int):
    """Confirm, with a reason, before a document stops counting as on file."""
    try:
        document = document_for(request.user, pk, document_id)
    except NotFound as exc:
        raise Http404 from exc
    project = document.project
    form = DocumentRejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rejected = run_on_form(
            request,
            form,
            lambda: services.document_reject(
                actor=request.user,
                project_id=project.pk,
                document_id=document.pk,
                reason=form.cleaned_data["reason"],
            ),
            project_id=pk,
            action="document_reject",
        )
        if rejected is not REFUSED:
            messages.success(request, _("Document rejected: %(file)s.") % {"file": document.original_name})
            return redirect(reverse("projects:detail", kwargs={"pk": pk}) + "#documents")
    names = dict(_pack_documents(project))
    return render(
        request,
        "projects/documents/reject.html",
        {"project": project, "document": document, "document_name": names.get(document.code), "form": form},
        status=answer_status(request, form),
    )
