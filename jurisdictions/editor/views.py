"""Rule-pack pages: the packs a member browses, their versions and exports; an admin's draft, published.

Browsing is for every member of the jurisdiction (another tenant's pack is a 404). Drafts are the
jurisdiction admins' (a member without the role gets 403). The services do the work and raise the
errors; a refusal re-shows the form with the fields named (400) or says why (409).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govproj.errors import ApplicationError, NotFound, NotPermitted, ValidationFailed
from govproj.i18n import in_language
from govproj.pages import form_errors
from jurisdictions.editor import display, selectors, services
from jurisdictions.editor.diff import pack_diff
from jurisdictions.models import Jurisdiction, RulePack, RulePackDraft, in_force
from jurisdictions.rules import measure_status
from jurisdictions.rules.schema import dump_pack_text
from jurisdictions.selectors import jurisdiction_for
from jurisdictions.services import EDITOR_SOURCE
from projects.detail import RULE_PHASES


def _guarded(call, *args, **kwargs):
    """A selector's NotFound / NotPermitted as the page's 404 / 403."""
    try:
        return call(*args, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc


def _status(spec, today) -> dict:
    status = measure_status(spec, today)
    return {
        "state": status["state"],
        "message": in_language(status["message"]),
        "warn": status["state"] in ("expired", "expiring"),
    }


def source_label(source: str) -> str:
    """Where a version came from: the editor, or the name of the file it was loaded from."""
    if source.startswith(EDITOR_SOURCE):
        return _("Editor")
    return source.replace("\\", "/").rsplit("/", 1)[-1]


# ---------------------------------------------------------------------------- browsing


@login_required
@require_GET
def index(request):
    """规则包: each of the member's jurisdictions with its measure, the version in force and its drafts."""
    today = timezone.localdate()
    jurisdictions = list(Jurisdiction.objects.for_user(request.user).order_by("code"))
    packs: dict[int, list[RulePack]] = {}
    for pack in RulePack.objects.filter(jurisdiction__in=jurisdictions).defer("content"):
        packs.setdefault(pack.jurisdiction_id, []).append(pack)
    administered = set(selectors.administered(request.user).values_list("pk", flat=True))
    drafts = {
        draft.jurisdiction_id: draft
        for draft in RulePackDraft.objects.filter(
            jurisdiction_id__in=administered, status="open"
        ).select_related("updated_by")
    }
    rows = []
    for jurisdiction in jurisdictions:
        versions = packs.get(jurisdiction.pk, [])
        current = in_force(versions, today)
        if current is None:
            continue
        current.jurisdiction = jurisdiction
        spec = current.spec
        rows.append(
            {
                "jurisdiction": jurisdiction,
                "pack": current,
                "measure_title": in_language(spec.measure.title),
                "document_number": spec.measure.document_number or "",
                "applies_from": spec.effective_from,
                "status": _status(spec, today),
                "version_count": len(versions),
                "admin": jurisdiction.pk in administered,
                "draft": drafts.get(jurisdiction.pk),
            }
        )
    return render(request, "rules/index.html", {"rows": rows})


def _version_number(request) -> int | None:
    raw = request.GET.get("version") or ""
    if not raw:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 2**31:
        raise BadRequest(_("The version is a whole number."))
    return int(raw)


@login_required
@require_GET
def pack(request, code: str):
    """One version of the pack (default: in force today), rule by rule by phase."""
    jurisdiction = _guarded(jurisdiction_for, request.user, code)
    today = timezone.localdate()
    all_versions = list(selectors.versions(jurisdiction))
    number = _version_number(request)
    if number is None:
        current = in_force(all_versions, today)
        if current is None:
            raise Http404(_("This jurisdiction has no rule pack loaded."))
        number = current.version
    shown = _guarded(selectors.version_of, jurisdiction, number)
    shown.jurisdiction = jurisdiction
    in_force_now = in_force(all_versions, today)
    return render(
        request,
        "rules/pack.html",
        {
            "jurisdiction": jurisdiction,
            "pack": shown,
            "versions": all_versions,
            "in_force": in_force_now.version if in_force_now else None,
            "status": _status(shown.spec, today),
            "measure": display.measure_view(shown.content),
            "phases": display.phases(shown.content),
            "categories": display.names(shown.content, "categories"),
            "documents": display.names(shown.content, "documents"),
        },
    )


@login_required
@require_GET
def versions(request, code: str):
    """Every version: when it applies, what it changed, who published it; two picked for the diff."""
    jurisdiction = _guarded(jurisdiction_for, request.user, code)
    rows = list(selectors.versions(jurisdiction))
    current = in_force(rows, timezone.localdate())
    return render(
        request,
        "rules/versions.html",
        {
            "jurisdiction": jurisdiction,
            "rows": [
                {
                    "pack": row,
                    "source": source_label(row.source),
                    "in_force": current is not None and row.pk == current.pk,
                    "by": row.created_by.get_full_name() or row.created_by.username if row.created_by else "",
                }
                for row in rows
            ],
            "admin": selectors.administered(request.user).filter(pk=jurisdiction.pk).exists(),
        },
    )


def export_text(pack: RulePack) -> str:
    """The version's content as YAML with a header naming it (loads back as the very same content)."""
    jurisdiction = pack.jurisdiction
    header = "\n".join(
        [
            f"{jurisdiction.name_zh}（{jurisdiction.code}）规则包 第 {pack.version} 版",
            f"施行：{pack.effective_from} 至 {pack.effective_to or '—'}",
            f"办法：{pack.measure_title}",
            f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}",
        ]
    )
    return dump_pack_text(pack.content, header=header)


def export_response(pack: RulePack) -> HttpResponse:
    response = HttpResponse(export_text(pack), content_type="application/yaml; charset=utf-8")
    name = f"{pack.jurisdiction.code}-v{pack.version}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def export(request, code: str, version: int):
    jurisdiction = _guarded(jurisdiction_for, request.user, code)
    pack = _guarded(selectors.version_of, jurisdiction, version)
    pack.jurisdiction = jurisdiction
    return export_response(pack)


# ---------------------------------------------------------------------------- drafts


@login_required
@require_POST
def draft_start(request, code: str):
    """Open the jurisdiction's draft (or continue the open one); `successor=1` for the next measure."""
    draft = _guarded(
        services.draft_open,
        actor=request.user,
        code=code,
        successor=request.POST.get("successor") == "1",
        request=request,
    )
    return redirect("rules:draft", pk=draft.pk)


def _draft(request, pk: int) -> RulePackDraft:
    return _guarded(selectors.draft_for, request.user, pk)


def _closed(request, draft: RulePackDraft, template: str, **context):
    """A published or discarded draft: what became of it, no form (409 for an action on it)."""
    return render(request, template, {"draft": draft, "closed": True, **context}, status=409)


@login_required
@require_GET
def draft(request, pk: int):
    """The draft: its rules by phase with the links to edit, switch, add; the measure and lists."""
    found = _draft(request, pk)
    return render(
        request,
        "rules/draft.html",
        {
            "draft": found,
            "jurisdiction": found.jurisdiction,
            "measure": display.measure_view(found.content),
            "phases": display.phases(found.content),
            "categories": display.names(found.content, "categories"),
            "documents": display.names(found.content, "documents"),
            "kinds": [(code, str(label)) for code, label in display.KIND_LABELS.items()],
            "rule_phases": [(code, str(label)) for code, label in RULE_PHASES],
        },
    )


class YamlForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("The pack as YAML"), widget=forms.Textarea(attrs={"rows": 30}))
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _problems(error: ApplicationError) -> list[dict]:
    problems = error.extra.get("problems")
    if problems:
        return problems
    return [
        {"field": field, "line": None, "problem": problem}
        for field, found in (error.extra.get("errors") or {}).items()
        for problem in found
    ]


@login_required
@require_http_methods(["GET", "POST"])
def yaml(request, pk: int):
    """专家模式: the whole draft as YAML; errors name the field and the line, the text is kept."""
    found = _draft(request, pk)
    if not found.is_open:
        return _closed(request, found, "rules/yaml.html")
    form = YamlForm(initial={"text": dump_pack_text(found.content), "revision": found.revision})
    problems, refusal, status = [], "", 200
    if request.method == "POST":
        form = YamlForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.draft_yaml_save(
                    actor=request.user,
                    draft_id=found.pk,
                    revision=form.cleaned_data["revision"],
                    text=form.cleaned_data["text"],
                    request=request,
                )
            except ValidationFailed as error:
                problems = _problems(error)
            except ApplicationError as error:
                refusal, status = error.message, error.http_status
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("rules:draft", pk=found.pk)
    return render(
        request,
        "rules/yaml.html",
        {"draft": found, "form": form, "problems": problems, "refusal": refusal},
        status=status,
    )


def first_of_next_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=gettext_lazy("Applies from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    effective_to = forms.DateField(
        label=gettext_lazy("Applies to (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=gettext_lazy("What this version changes"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Confirm the publication (it cannot be changed afterwards)")
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk: int):
    """发布: from which day the version applies, what it changes; a summary of the changes first."""
    found = _draft(request, pk)
    if not found.is_open:
        return _closed(request, found, "rules/publish.html")
    form = PublishForm(
        initial={"effective_from": first_of_next_month(timezone.localdate()), "revision": found.revision}
    )
    refusal, status = "", 200
    if request.method == "POST":
        form = PublishForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                version = services.draft_publish(
                    actor=request.user,
                    draft_id=found.pk,
                    revision=data["revision"],
                    effective_from=data["effective_from"],
                    effective_to=data["effective_to"],
                    note=data["note"],
                    request=request,
                )
            except ValidationFailed as error:
                form_errors(form, error)
            except ApplicationError as error:
                refusal, status = error.message, error.http_status
            else:
                messages.success(
                    request,
                    _("Version %(version)s is published; it applies from %(day)s.")
                    % {"version": version.version, "day": version.effective_from},
                )
                return redirect("rules:versions", code=found.jurisdiction.code)
    return render(
        request,
        "rules/publish.html",
        {
            "draft": found,
            "form": form,
            "refusal": refusal,
            "diff": pack_diff(found.based_on.content, found.content),
        },
        status=status,
    )


class DiscardForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the draft is discarded"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


@login_required
@require_http_methods(["GET", "POST"])
def discard(request, pk: int):
    """放弃草稿, with the reason; the next edit starts again from the version in force."""
    found = _draft(request, pk)
    if not found.is_open:
        return _closed(request, found, "rules/discard.html")
    form = DiscardForm(initial={"revision": found.revision})
    refusal, status = "", 200
    if request.method == "POST":
        form = DiscardForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.draft_discard(
                    actor=request.user,
                    draft_id=found.pk,
                    revision=form.cleaned_data["revision"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationFailed as error:
                form_errors(form, error)
            except ApplicationError as error:
                refusal, status = error.message, error.http_status
            else:
                messages.success(request, _("The draft is discarded."))
                return redirect("rules:index")
    return render(
        request, "rules/discard.html", {"draft": found, "form": form, "refusal": refusal}, status=status
    )
