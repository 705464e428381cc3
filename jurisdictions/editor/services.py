"""Writing drafts and publishing them: one function per action, in a transaction, in the security log.

A draft holds a whole pack's content. Every save validates the whole pack with the typed schema
(`validate_pack`), so an invalid draft is never stored; the errors name the field (relative to the
rule for a rule's form: `value`, `citation.quote`). Saves name the revision they started from: a
stale one is refused with 409 and the current revision, so two admins cannot overwrite each other.
Publishing stores the next immutable RulePack version (jurisdictions.services.publish_rule_pack).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govproj.errors import ConcurrentUpdate, InvalidTransition, ValidationFailed
from jurisdictions.editor.selectors import draft_for, editable_jurisdiction
from jurisdictions.models import DraftStatus, Jurisdiction, RulePack, RulePackDraft, content_hash
from jurisdictions.rules.errors import PackError
from jurisdictions.rules.schema import RulePackSpec, load_pack_text, validate_pack
from jurisdictions.services import EDITOR_SOURCE, publish_rule_pack
from security.models import Kind
from security.services import security_event_record

SECTIONS = ("measure", "categories", "documents", "settings", "review")
RULE_PATH = re.compile(r"^rules\.(\d+)(?:\.(.*))?$")


# The schema's problems are pydantic's English (or the schema's own); the editor says them in the
# person's language. Each pattern: pydantic's wording → a msgid with the parts it names.
PROBLEM_WORDS = (
    (re.compile(r"^Field required$"), "This field is required."),
    (re.compile(r"^Extra inputs are not permitted$"), "This field is not part of the rule."),
    (re.compile(r"^Input should be a valid (decimal|number)$"), "Enter a number."),
    (re.compile(r"^Decimal input should be.*$"), "Enter a number."),
    (re.compile(r"^Input should be a finite number$"), "Enter a number."),
    (re.compile(r"^Input should be a valid integer.*$"), "Enter a whole number."),
    (re.compile(r"^Input should be a valid boolean.*$"), "Choose yes or no."),
    (re.compile(r"^Input should be a valid date.*$"), "Enter a date (YYYY-MM-DD)."),
    (
        re.compile(r"^Input should be a valid (string|list|dictionary|tuple).*$"),
        "The value has the wrong form.",
    ),
    (re.compile(r"^String should have at least 1 character$"), "This field may not be empty."),
    (re.compile(r"^String should match pattern '(?P<pattern>.*)'$"), "The value has the wrong form."),
    (re.compile(r"^List should have at least 1 item.*$"), "At least one entry is needed."),
    (re.compile(r"^Input should be greater than (?P<limit>\S+)$"), "Must be greater than %(limit)s."),
    (re.compile(r"^Input should be greater than or equal to (?P<limit>\S+)$"), "Must be at least %(limit)s."),
    (re.compile(r"^Input should be less than (?P<limit>\S+)$"), "Must be less than %(limit)s."),
    (re.compile(r"^Input should be less than or equal to (?P<limit>\S+)$"), "Must be at most %(limit)s."),
    (re.compile(r"^Input should be (?P<choices>'.*)$"), "Choose one of %(choices)s."),
    (re.compile(r"^must be an article such as (?P<example>\S+)$"), "Give an article such as %(example)s."),
    (re.compile(r"^effective_to is before effective_from$"), "The end is before the start."),
)


# The schema's own wordings (searched, not matched whole).
SCHEMA_WORDS = [
    (
        r"^a pack has at most",
        gettext_lazy("The pack is too large: at most 200,000 values (YAML aliases count)."),
    ),
    (r"^duplicate rule id", gettext_lazy("Another rule has this identifier.")),
    (r"^must start with", gettext_lazy("The identifier must begin with the jurisdiction's code.")),
    (r"unknown fact", gettext_lazy("Unknown fact.")),
    (r"^fact `[^`]*` is \w+, needs", gettext_lazy("This fact is of the wrong type for the rule.")),
    (
        r"must be offered by one track rule",
        gettext_lazy("The track must be offered by exactly one approval-track rule."),
    ),
    (
        r"a track rule cannot be switched off",
        gettext_lazy("An approval-track rule cannot be switched off: the approval stages follow it."),
    ),
    (r"is not in `documents`", gettext_lazy("This document is not in the pack's list of documents.")),
    (
        r"a deadline needs `anchor` and `offset`, or `fixed`",
        gettext_lazy("A deadline needs the date it is counted from and a period, or a fixed day."),
    ),
    (r"has `offset` or `fixed`, not both", gettext_lazy("A deadline has a period or a fixed day, not both.")),
    (
        r"`since` is for yearly deadlines",
        gettext_lazy("“Owed every year from” is for yearly deadlines only."),
    ),
    (r"has no `year_offset`", gettext_lazy("A yearly deadline has no years after the starting year.")),
    (r"`extension` needs an `anchor`", gettext_lazy("An extension needs the date the deadline counts from.")),
    (r"is not a day of every year", gettext_lazy("This day does not exist in every year.")),
    (
        r"`excludes_measure` needs",
        gettext_lazy("Putting the project outside the measure needs the outcome “Not applicable”."),
    ),
    (r"`latest_of` needs", gettext_lazy("At least one of the dates must not be optional.")),
    (
        r"no entry for track stages",
        gettext_lazy("The review procedure has no approval stage for a track stage."),
    ),
    (r"unknown op", gettext_lazy("Unknown comparison in the condition.")),
    (
        r"^a condition is an object",
        gettext_lazy("A condition is all / any / not, or a comparison of a fact."),
    ),
    (r"unknown key", gettext_lazy("The condition has a key it does not know.")),
    (r"compares", gettext_lazy("The condition compares a fact with a value of another type.")),
    (r"needs a", gettext_lazy("The condition's comparison does not fit the fact.")),
    (r"takes no value", gettext_lazy("This comparison takes no value.")),
]


def localized_problem(text: str) -> str:
    """A schema problem in the person's language (unknown wordings stay as they are)."""
    for pattern, msgid in PROBLEM_WORDS:
        if match := pattern.match(text):
            return _(msgid) % match.groupdict() if match.groupdict() else _(msgid)
    for pattern, message in SCHEMA_WORDS:
        if re.search(pattern, text):
            return str(message)
    return text


def _problems_error(problems: list[dict], *, rule_index: int | None = None) -> ValidationFailed:
    """PackError problems as a 400 whose `errors` are keyed by field (relative to the rule edited)."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        field = problem["field"]
        if rule_index is not None and (match := RULE_PATH.match(field)) and int(match[1]) == rule_index:
            field = match[2] or "(rule)"
        problem["problem"] = localized_problem(problem["problem"])
        errors.setdefault(field, []).append(problem["problem"])
    first = next(iter(errors.items()))
    return ValidationFailed(
        _("The rule pack is not valid: %(field)s: %(problem)s") % {"field": first[0], "problem": first[1][0]},
        extra={"errors": errors, "problems": problems},
    )


def validated(content: dict, jurisdiction: Jurisdiction, *, rule_index: int | None = None) -> RulePackSpec:
    """The draft content's spec, or ValidationFailed naming each field that is wrong."""
    try:
        spec = validate_pack(content)
    except PackError as exc:
        raise _problems_error(exc.problems, rule_index=rule_index) from exc
    if spec.jurisdiction.code != jurisdiction.code:
        raise _problems_error(
            [
                {
                    "field": "jurisdiction.code",
                    "line": None,
                    "problem": _("must stay %(code)s: a pack belongs to its jurisdiction")
                    % {"code": jurisdiction.code},
                }
            ]
        )
    return spec


def _locked(actor, draft_id: int, revision: int | None) -> RulePackDraft:
    """The open draft, locked, at the revision the editor started from."""
    draft = draft_for(actor, draft_id)  # 404 another tenant's, 403 not its admin
    draft = (
        RulePackDraft.objects.select_for_update().select_related("jurisdiction", "based_on").get(pk=draft.pk)
    )
    if draft.status != DraftStatus.OPEN:
        raise InvalidTransition(
            _("This draft is %(status)s; start a new draft to edit the pack.")
            % {"status": draft.get_status_display()},
            extra={"status": draft.status, "allowed": []},
        )
    if revision is not None and revision != draft.revision:
        raise ConcurrentUpdate(
            _("Someone saved this draft after you opened it (now revision %(revision)s); reload it.")
            % {"revision": draft.revision},
            extra={"revision": draft.revision},
        )
    return draft


def _save(draft: RulePackDraft, content: dict, *, actor, data: dict, request=None) -> RulePackDraft:
    draft.content = content
    draft.revision += 1
    draft.updated_by = actor
    draft.save(update_fields=["content", "revision", "updated_by", "updated_at"])
    security_event_record(
        kind=Kind.RULE_PACK_EDITED,
        request=request,
        actor=actor,
        jurisdiction=draft.jurisdiction,
        target=f"jurisdictions.rulepackdraft:{draft.pk} {draft.jurisdiction.code}",
        data={"revision": draft.revision, **data},
    )
    return draft


@transaction.atomic
def draft_open(*, actor, code: str, successor: bool = False, request=None) -> RulePackDraft:
    """The jurisdiction's open draft, or a new one copied from the version in force today.

    `successor`: a draft for the measure that follows the current one (its term runs out or has):
    its measure starts the day after the current one ends, with no end, and it keeps no edition.
    """
    jurisdiction = editable_jurisdiction(actor, code)
    Jurisdiction.objects.select_for_update().filter(pk=jurisdiction.pk).first()  # one opener at a time
    found = RulePackDraft.objects.filter(jurisdiction=jurisdiction, status=DraftStatus.OPEN).first()
    if found is not None:
        return found
    from jurisdictions.selectors import rule_pack

    base = RulePack.objects.get(pk=rule_pack(jurisdiction, as_of=timezone.localdate()).pk)
    content = copy.deepcopy(base.content)
    content.pop("edition", None)
    if successor:
        measure = content["measure"]
        ends = base.spec.measure.effective_to
        starts = ends + dt.timedelta(days=1) if ends else timezone.localdate()
        measure["effective_from"] = starts.isoformat()
        measure.pop("effective_to", None)
        measure.pop("published", None)
        measure["document_number"] = None
    try:
        with transaction.atomic():
            draft = RulePackDraft.objects.create(
                jurisdiction=jurisdiction,
                based_on=base,
                successor=successor,
                content=content,
                created_by=actor,
                updated_by=actor,
            )
    except IntegrityError:  # another admin opened one a moment ago
        return RulePackDraft.objects.get(jurisdiction=jurisdiction, status=DraftStatus.OPEN)
    security_event_record(
        kind=Kind.RULE_PACK_DRAFTED,
        request=request,
        actor=actor,
        jurisdiction=jurisdiction,
        target=f"jurisdictions.rulepackdraft:{draft.pk} {jurisdiction.code}",
        data={"based_on": base.version, "successor": successor},
    )
    return draft


def _rule_index(content: dict, rule_id: str) -> int:
    for index, rule in enumerate(content["rules"]):
        if rule.get("id") == rule_id:
            return index
    raise ValidationFailed(
        _("The draft has no rule %(rule)s.") % {"rule": rule_id}, extra={"errors": {"rule": [rule_id]}}
    )


@transaction.atomic
def draft_rule_save(
    *,
    actor,
    draft_id: int,
    revision: int | None,
    rule: dict[str, Any],
    rule_id: str | None = None,
    request=None,
) -> RulePackDraft:
    """Replace the rule `rule_id` with `rule` (its id cannot change), or add `rule` when no id is given.

    A new rule must cite its article and quote the measure's words it encodes.
    """
    draft = _locked(actor, draft_id, revision)
    content = copy.deepcopy(draft.content)
    rule = copy.deepcopy(rule)
    if rule_id is None:
        citation = rule.get("citation") or {}
        missing = {
            field: [_("A new rule cites the article and quotes its words.")]
            for field, value in (
                ("citation.article", citation.get("article")),
                ("citation.quote", citation.get("quote")),
            )
            if not (value or "").strip()
        }
        if missing:
            raise ValidationFailed(next(iter(missing.values()))[0], extra={"errors": missing})
        if any(existing.get("id") == rule.get("id") for existing in content["rules"]):
            raise ValidationFailed(
                _("A rule with this id exists already."), extra={"errors": {"id": [rule.get("id", "")]}}
            )
        content["rules"].append(rule)
        index, before = len(content["rules"]) - 1, None
    else:
        index = _rule_index(content, rule_id)
        before = content["rules"][index]
        rule["id"] = rule_id
        content["rules"][index] = rule
    validated(content, draft.jurisdiction, rule_index=index)
    return _save(
        draft,
        content,
        actor=actor,
        request=request,
        data={
            "change": "add" if before is None else "edit",
            "rule": rule["id"],
            "before": before,
            "after": rule,
        },
    )


@transaction.atomic
def draft_rule_switch(
    *, actor, draft_id: int, revision: int | None, rule_id: str, off: bool, reason: str = "", request=None
) -> RulePackDraft:
    """Switch a rule off (with the reason, which its verdicts then say) or back on."""
    draft = _locked(actor, draft_id, revision)
    content = copy.deepcopy(draft.content)
    index = _rule_index(content, rule_id)
    rule = content["rules"][index]
    if off:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationFailed(
                _("Say why the rule is switched off."),
                extra={"errors": {"reason": [_("A reason is required.")]}},
            )
        rule["switched_off"] = {"zh": reason, "en": reason}
    else:
        rule.pop("switched_off", None)
    validated(content, draft.jurisdiction, rule_index=index)
    return _save(
        draft,
        content,
        actor=actor,
        request=request,
        data={"change": "switch_off" if off else "switch_on", "rule": rule_id, "reason": reason},
    )


@transaction.atomic
def draft_section_save(
    *, actor, draft_id: int, revision: int | None, section: str, value: Any, request=None
) -> RulePackDraft:
    """Replace one top-level section: the measure, categories, documents, settings or review procedure."""
    if section not in SECTIONS:
        raise ValidationFailed(
            _("Unknown section."), extra={"errors": {"section": [f"one of {', '.join(SECTIONS)}"]}}
        )
    draft = _locked(actor, draft_id, revision)
    content = copy.deepcopy(draft.content)
    before = content.get(section)
    content[section] = copy.deepcopy(value)
    validated(content, draft.jurisdiction)
    return _save(
        draft,
        content,
        actor=actor,
        request=request,
        data={"change": "section", "section": section, "before": before},
    )


@transaction.atomic
def draft_yaml_save(*, actor, draft_id: int, revision: int | None, text: str, request=None) -> RulePackDraft:
    """Expert mode: the whole pack as YAML, validated as the forms are (errors name the field and line)."""
    draft = _locked(actor, draft_id, revision)
    try:
        _spec, content = load_pack_text(text, source="YAML")
    except PackError as exc:
        raise _problems_error(exc.problems) from exc
    content.pop("edition", None)  # the version's dates and note are set when it is published
    validated(content, draft.jurisdiction)
    return _save(draft, content, actor=actor, request=request, data={"change": "yaml"})


def _without_edition(content: dict) -> dict:
    return {key: value for key, value in content.items() if key != "edition"}


@transaction.atomic
def draft_publish(
    *,
    actor,
    draft_id: int,
    revision: int | None,
    effective_from: dt.date,
    effective_to: dt.date | None = None,
    note: str,
    request=None,
) -> RulePack:
    """Store the draft as the next immutable version, applying from `effective_from`.

    Projects keep the version they pinned; a project declared on or after `effective_from` pins
    this one. A version cannot apply before today, nor before the latest version does (it would
    never be the one in force), nor repeat the latest version's rules.
    """
    draft = _locked(actor, draft_id, revision)
    jurisdiction = draft.jurisdiction
    latest = RulePack.objects.filter(jurisdiction=jurisdiction).order_by("-version").first()
    errors: dict[str, list[str]] = {}
    note = (note or "").strip()
    if not note:
        errors["note"] = [_("Say what this version changes.")]
    today = timezone.localdate()
    if effective_from < today:
        errors["effective_from"] = [_("A version cannot apply before today (%(day)s).") % {"day": today}]
    elif latest is not None and effective_from < latest.effective_from:
        errors["effective_from"] = [
            _("Version %(version)s applies from %(day)s: a new version cannot apply earlier.")
            % {"version": latest.version, "day": latest.effective_from}
        ]
    if effective_to is not None and effective_to < effective_from:
        errors["effective_to"] = [_("The end is before the start.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], extra={"errors": errors})
    if latest is not None and content_hash(_without_edition(draft.content)) == content_hash(
        _without_edition(latest.content)
    ):
        raise ValidationFailed(
            _("The draft changes nothing in version %(version)s.") % {"version": latest.version},
            extra={"errors": {"content": [_("Nothing changed.")]}},
        )
    content = copy.deepcopy(draft.content)
    edition = {"effective_from": effective_from.isoformat(), "note": note}
    if effective_to is not None:
        edition["effective_to"] = effective_to.isoformat()
    content["edition"] = edition
    spec = validated(content, jurisdiction)
    pack = publish_rule_pack(spec, content, source=f"{EDITOR_SOURCE}{actor.username}"[:300], user=actor).pack
    draft.status = DraftStatus.PUBLISHED
    draft.published_as = pack
    draft.updated_by = actor
    draft.save(update_fields=["status", "published_as", "updated_by", "updated_at"])
    security_event_record(
        kind=Kind.RULE_PACK_PUBLISHED,
        request=request,
        actor=actor,
        jurisdiction=jurisdiction,
        target=f"jurisdictions.rulepack:{pack.pk} {jurisdiction.code} v{pack.version}",
        data={
            "draft": draft.pk,
            "version": pack.version,
            "effective_from": pack.effective_from.isoformat(),
            "effective_to": pack.effective_to.isoformat() if pack.effective_to else None,
            "note": note,
        },
    )
    return pack


@transaction.atomic
def draft_discard(
    *, actor, draft_id: int, revision: int | None, reason: str = "", request=None
) -> RulePackDraft:
    """Throw the draft away (kept, as discarded); the next edit starts from the version in force."""
    draft = _locked(actor, draft_id, revision)
    draft.status = DraftStatus.DISCARDED
    draft.updated_by = actor
    draft.save(update_fields=["status", "updated_by", "updated_at"])
    security_event_record(
        kind=Kind.RULE_PACK_DISCARDED,
        request=request,
        actor=actor,
        jurisdiction=draft.jurisdiction,
        target=f"jurisdictions.rulepackdraft:{draft.pk} {draft.jurisdiction.code}",
        reason=reason,
        data={"revision": draft.revision},
    )
    return draft
