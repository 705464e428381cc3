"""Pages where a jurisdiction admin edits a draft's rule, switches it off or on, or edits a section.

The forms come from the typed schema (jurisdictions.editor.forms); the services validate the whole
pack on every save. A refusal re-shows the form as typed: the schema's errors beside their fields
(400), someone else's save in between (409, the draft's new revision named), a draft that is no longer
open (409, and the page offers no save). Another jurisdiction's draft is a 404, a member who is not
its admin gets 403 (selectors.draft_for).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from govproj.errors import ApplicationError, NotFound, NotPermitted, ValidationFailed
from jurisdictions.editor import selectors, services
from jurisdictions.editor.forms import (
    KIND_LABELS,
    RULE_MODELS,
    FormContext,
    RuleForm,
    SectionForm,
    SwitchForm,
    problem_text,
    relative_problems,
)
from jurisdictions.models import DraftStatus, RulePackDraft
from jurisdictions.rules.schema import cited_article
from projects.detail import RULE_PHASES

FORM_SECTIONS = ("measure", "categories", "documents")
SECTION_TITLES = {
    "measure": gettext_lazy("The measure"),
    "categories": gettext_lazy("Project categories"),
    "documents": gettext_lazy("Documents"),
}


def _draft(request, pk: int) -> RulePackDraft:
    try:
        return selectors.draft_for(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc


def rule_anchor(rule_id: str) -> str:
    """The id of a rule's card on the draft page: `rule-baotou-construction-supervision`."""
    return "rule-" + rule_id.replace(".", "-")


def _draft_url(draft: RulePackDraft, anchor: str = "") -> str:
    return reverse("rules:draft", args=[draft.pk]) + (f"#{anchor}" if anchor else "")


def _rule_of(draft: RulePackDraft, rule_id: str) -> tuple[int, dict]:
    for index, rule in enumerate(draft.content.get("rules") or []):
        if isinstance(rule, dict) and rule.get("id") == rule_id:
            return index, rule
    raise Http404(_("The draft has no such rule."))


def _titles(content: dict) -> list[str]:
    return [(rule.get("title") or {}).get("zh", "") for rule in content.get("rules") or []]


def _closed_message(draft: RulePackDraft) -> str:
    return _("This draft is %(status)s and can no longer be edited; start a new draft from the pack.") % {
        "status": draft.get_status_display()
    }


def _about(draft: RulePackDraft, rule: dict | None) -> dict | None:
    """The rule as it stands in the draft, shown above its form."""
    if rule is None:
        return None
    citation = rule.get("citation") or {}
    measure = draft.content.get("measure") or {}
    switched = rule.get("switched_off") or None
    return {
        "title": (rule.get("title") or {}).get("zh", ""),
        "kind": KIND_LABELS.get(rule.get("kind"), ""),
        "article": cited_article(citation),
        "document": measure.get("document_number") or (measure.get("title") or {}).get("zh", ""),
        "quote": citation.get("quote") or "",
        "switched_off": switched.get("zh", "") if isinstance(switched, dict) else "",
        "is_off": switched is not None,
        "anchor": rule_anchor(rule.get("id", "")),
    }


def _refusal(form, error: ApplicationError, *, rule_index: int | None = None) -> int:
    """The service's refusal on the form; returns the status to answer with."""
    if isinstance(error, NotFound):
        raise Http404(error.message) from error
    if isinstance(error, NotPermitted):
        raise PermissionDenied(error.message) from error
    if isinstance(error, ValidationFailed):
        form.service_errors(relative_problems(error, rule_index=rule_index))
    else:  # someone saved in between (409 naming the revision), the draft is closed (409)
        form.add_error(None, problem_text(error.message))
    return error.http_status


@login_required
@require_http_methods(["GET", "POST"])
def rule_add(request, pk: int):
    """A new rule of a kind: first the kind and phase (a plain GET form), then its form."""
    draft = _draft(request, pk)
    kind = request.GET.get("kind") or ""  # the form posts back to its own address, kind and all
    phase = request.GET.get("phase") or ""
    phases = [(code, str(label)) for code, label in RULE_PHASES]
    if kind not in RULE_MODELS:
        return render(
            request,
            "rules/rule_form.html",
            {
                "draft": draft,
                "choosing": True,
                "kinds": [(code, str(label)) for code, label in KIND_LABELS.items()],
                "phases": phases,
                "phase": phase,
                "closed": "" if draft.status == DraftStatus.OPEN else _closed_message(draft),
            },
            status=400 if request.method == "POST" or "kind" in request.GET else 200,
        )
    phase = phase if phase in dict(phases) else ""
    kwargs = {
        "kind": kind,
        "rule": None,
        "jurisdiction_code": draft.jurisdiction.code,
        "phase": phase,
        "revision": draft.revision,
        "context": FormContext.of(draft.content),
        "rule_titles": _titles(draft.content),
    }
    return _rule_page(request, draft, kwargs, rule=None, rule_index=len(draft.content.get("rules") or []))


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk: int, rule_id: str):
    draft = _draft(request, pk)
    index, rule = _rule_of(draft, rule_id)
    if rule.get("kind") not in RULE_MODELS:
        raise Http404(_("The draft has no such rule."))
    kwargs = {
        "kind": rule["kind"],
        "rule": rule,
        "jurisdiction_code": draft.jurisdiction.code,
        "revision": draft.revision,
        "context": FormContext.of(draft.content),
        "rule_titles": _titles(draft.content),
    }
    return _rule_page(request, draft, kwargs, rule=rule, rule_index=index)


def _rule_page(request, draft: RulePackDraft, kwargs: dict, *, rule: dict | None, rule_index: int):
    closed = "" if draft.status == DraftStatus.OPEN else _closed_message(draft)
    status = 200
    if request.method == "POST" and "_add_row" not in request.POST:
        form = RuleForm(request.POST, **kwargs)
        status = 400
        if closed:
            status = 409
        elif form.is_valid():
            new = form.rule_dict()
            try:
                services.draft_rule_save(
                    actor=request.user,
                    draft_id=draft.pk,
                    revision=form.revision,
                    rule=new,
                    rule_id=None if rule is None else rule["id"],
                    request=request,
                )
            except ApplicationError as error:
                status = _refusal(form, error, rule_index=rule_index)
            else:
                title = (new.get("title") or {}).get("zh", "")
                done = (
                    _("The rule “%(title)s” is added to the draft.")
                    if rule is None
                    else _("The rule “%(title)s” is saved in the draft.")
                )
                messages.success(request, done % {"title": title})
                return redirect(_draft_url(draft, rule_anchor(new["id"])))
    elif request.method == "POST":  # “add a row”: the same form with one more row, nothing saved
        form = RuleForm(request.POST, **kwargs)
    else:
        form = RuleForm(**kwargs)
    if closed:
        form.disable()
    return render(
        request,
        "rules/rule_form.html",
        {
            "draft": draft,
            "form": form,
            "about": _about(draft, rule),
            "kind": kwargs["kind"],
            "kind_label": KIND_LABELS[kwargs["kind"]],
            "adding": rule is None,
            "closed": closed,
            "back": _draft_url(draft, rule_anchor(rule["id"]) if rule else ""),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_switch(request, pk: int, rule_id: str):
    """Switch a rule off (the reason is what its verdicts then say) or back on, after confirming."""
    draft = _draft(request, pk)
    index, rule = _rule_of(draft, rule_id)
    off = rule.get("switched_off") is None  # what the page offers: off when it is on, and back
    closed = "" if draft.status == DraftStatus.OPEN else _closed_message(draft)
    cannot = off and rule.get("kind") == "track"
    form = SwitchForm(initial={"_revision": draft.revision}, off=off)
    status = 200
    if request.method == "POST":
        form = SwitchForm(request.POST, off=off)
        status = 400
        if closed or cannot:
            status = 409
        elif form.is_valid():
            try:
                services.draft_rule_switch(
                    actor=request.user,
                    draft_id=draft.pk,
                    revision=form.cleaned_data["_revision"],
                    rule_id=rule["id"],
                    off=off,
                    reason=form.cleaned_data.get("reason", ""),
                    request=request,
                )
            except ApplicationError as error:
                if isinstance(error, ValidationFailed):
                    errors = error.extra.get("errors") or {}
                    if "reason" in errors and "reason" in form.fields:
                        form.add_error("reason", [problem_text(m) for m in errors["reason"]])
                    else:
                        for problem in relative_problems(error, rule_index=index):
                            form.add_error(None, problem_text(problem.get("problem", "")))
                    status = error.http_status
                else:
                    status = _refusal(form, error)
            else:
                title = (rule.get("title") or {}).get("zh", "")
                done = (
                    _("The rule “%(title)s” is switched off.")
                    if off
                    else _("The rule “%(title)s” is switched on again.")
                )
                messages.success(request, done % {"title": title})
                return redirect(_draft_url(draft, rule_anchor(rule["id"])))
    return render(
        request,
        "rules/rule_switch.html",
        {
            "draft": draft,
            "form": form,
            "about": _about(draft, rule),
            "off": off,
            "cannot": cannot,
            "closed": closed,
            "back": _draft_url(draft, rule_anchor(rule["id"])),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def section(request, pk: int, section: str):
    """The measure, the categories or the documents; settings and review are edited as YAML."""
    draft = _draft(request, pk)
    if section not in FORM_SECTIONS:
        raise Http404(_("This part of the pack is edited as YAML."))
    closed = "" if draft.status == DraftStatus.OPEN else _closed_message(draft)
    kwargs = {"section": section, "content": draft.content, "revision": draft.revision}
    kwargs["rule_titles"] = _titles(draft.content)
    status = 200
    if request.method == "POST" and "_add_row" not in request.POST:
        form = SectionForm(request.POST, **kwargs)
        status = 400
        if closed:
            status = 409
        elif form.is_valid():
            try:
                services.draft_section_save(
                    actor=request.user,
                    draft_id=draft.pk,
                    revision=form.revision,
                    section=section,
                    value=form.section_value(),
                    request=request,
                )
            except ApplicationError as error:
                status = _refusal(form, error)
            else:
                messages.success(
                    request, _("%(section)s: saved in the draft.") % {"section": SECTION_TITLES[section]}
                )
                return redirect(_draft_url(draft, f"section-{section}"))
    elif request.method == "POST":
        form = SectionForm(request.POST, **kwargs)
    else:
        form = SectionForm(**kwargs)
    if closed:
        form.disable()
    return render(
        request,
        "rules/section_form.html",
        {
            "draft": draft,
            "form": form,
            "section": section,
            "section_title": SECTION_TITLES[section],
            "closed": closed,
            "back": _draft_url(draft, f"section-{section}"),
        },
        status=status,
    )
