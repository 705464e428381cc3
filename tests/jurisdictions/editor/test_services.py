"""The editor's services on the real 包头 pack: drafts, rule edits, switching off, publishing, round trips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from govproj.errors import ConcurrentUpdate, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.editor import services
from jurisdictions.models import DraftStatus, RulePack
from jurisdictions.rules import evaluate
from jurisdictions.rules.schema import Outcome, dump_pack_text, load_pack_text
from jurisdictions.selectors import rule_pack
from security.models import SecurityEvent

SUPERVISION = "baotou.construction.supervision"


@pytest.fixture
def baotou(pack_tenant):
    return pack_tenant("baotou")


def _admin(tenant):
    return tenant.users["jurisdiction_admin"]


def _rule(draft, rule_id):
    return next(rule for rule in draft.content["rules"] if rule["id"] == rule_id)


def test_a_draft_copies_the_version_in_force_and_is_one_per_jurisdiction(baotou):
    draft = services.draft_open(actor=_admin(baotou), code="baotou")
    again = services.draft_open(actor=_admin(baotou), code="baotou")
    assert again.pk == draft.pk
    assert draft.based_on.version == 1
    assert draft.content["rules"] == RulePack.objects.get(pk=draft.based_on_id).content["rules"]
    assert SecurityEvent.objects.filter(kind="rule_pack_drafted").count() == 1


def test_only_the_jurisdictions_admin_edits(baotou, pack_tenant):
    with pytest.raises(NotPermitted):
        services.draft_open(actor=baotou.users["reviewer"], code="baotou")
    other = pack_tenant("nanchong")
    with pytest.raises(NotFound):
        services.draft_open(actor=_admin(other), code="baotou")


def test_a_rule_edit_is_validated_and_names_the_field(baotou):
    admin = _admin(baotou)
    draft = services.draft_open(actor=admin, code="baotou")
    rule = {**_rule(draft, SUPERVISION), "value": "not a number"}
    with pytest.raises(ValidationFailed) as caught:
        services.draft_rule_save(
            actor=admin, draft_id=draft.pk, revision=draft.revision, rule=rule, rule_id=SUPERVISION
        )
    assert "value" in caught.value.extra["errors"]
    draft.refresh_from_db()
    assert _rule(draft, SUPERVISION)["value"] == 200  # nothing stored

    rule = {**_rule(draft, SUPERVISION), "value": 100}
    saved = services.draft_rule_save(
        actor=admin, draft_id=draft.pk, revision=draft.revision, rule=rule, rule_id=SUPERVISION
    )
    assert saved.revision == draft.revision + 1
    assert _rule(saved, SUPERVISION)["value"] == 100
    # the version in force is untouched: a draft never affects projects
    assert rule_pack(baotou.jurisdiction, as_of=timezone.localdate()).spec.rule(SUPERVISION).value == Decimal(
        200
    )


def test_a_stale_revision_is_refused(baotou):
    admin = _admin(baotou)
    draft = services.draft_open(actor=admin, code="baotou")
    rule = {**_rule(draft, SUPERVISION), "value": 150}
    services.draft_rule_save(
        actor=admin, draft_id=draft.pk, revision=draft.revision, rule=rule, rule_id=SUPERVISION
    )
    with pytest.raises(ConcurrentUpdate) as caught:
        services.draft_rule_save(
            actor=admin,
            draft_id=draft.pk,
            revision=draft.revision,
            rule={**rule, "value": 120},
            rule_id=SUPERVISION,
        )
    assert caught.value.http_status == 409
    assert caught.value.extra["revision"] == draft.revision + 1


def test_a_new_rule_needs_article_and_quote(baotou):
    admin = _admin(baotou)
    draft = services.draft_open(actor=admin, code="baotou")
    new = {
        **_rule(draft, SUPERVISION),
        "id": "baotou.construction.supervision_small",
        "citation": {"article": "第十九条"},
    }
    with pytest.raises(ValidationFailed) as caught:
        services.draft_rule_save(actor=admin, draft_id=draft.pk, revision=draft.revision, rule=new)
    assert list(caught.value.extra["errors"]) == ["citation.quote"]
    new["citation"]["quote"] = "总投资在200万元及以上的政务信息化项目原则上实行监理制"
    saved = services.draft_rule_save(actor=admin, draft_id=draft.pk, revision=draft.revision, rule=new)
    assert _rule(saved, "baotou.construction.supervision_small")


def test_a_switched_off_rule_says_why_and_blocks_nothing(baotou):
    admin = _admin(baotou)
    draft = services.draft_open(actor=admin, code="baotou")
    with pytest.raises(ValidationFailed):
        services.draft_rule_switch(
            actor=admin, draft_id=draft.pk, revision=draft.revision, rule_id=SUPERVISION, off=True
        )
    saved = services.draft_rule_switch(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        rule_id=SUPERVISION,
        off=True,
        reason="另行规定",
    )
    from jurisdictions.rules import validate_pack

    spec = validate_pack(saved.content)
    (verdict,) = evaluate(
        spec, {"total_investment_wan": "500"}, as_of=timezone.localdate(), rule_ids=[SUPERVISION]
    )
    assert verdict.outcome is Outcome.NOT_APPLICABLE
    assert verdict.message.zh == "另行规定"
    back = services.draft_rule_switch(
        actor=admin, draft_id=draft.pk, revision=saved.revision, rule_id=SUPERVISION, off=False
    )
    assert "switched_off" not in _rule(back, SUPERVISION)


def test_publishing_makes_a_version_that_applies_from_its_day(baotou):
    admin = _admin(baotou)
    today = timezone.localdate()
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    draft = services.draft_open(actor=admin, code="baotou")
    with pytest.raises(ValidationFailed) as caught:  # nothing changed
        services.draft_publish(
            actor=admin, draft_id=draft.pk, revision=draft.revision, effective_from=next_month, note="无变化"
        )
    assert "content" in caught.value.extra["errors"]
    draft = services.draft_rule_save(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        rule={**_rule(draft, SUPERVISION), "value": 100},
        rule_id=SUPERVISION,
    )
    with pytest.raises(ValidationFailed) as caught:
        services.draft_publish(
            actor=admin,
            draft_id=draft.pk,
            revision=draft.revision,
            effective_from=today - dt.timedelta(days=1),
            note="",
        )
    assert set(caught.value.extra["errors"]) == {"note", "effective_from"}
    pack = services.draft_publish(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        effective_from=next_month,
        note="监理门槛降至100万元",
    )
    assert (pack.version, pack.effective_from, pack.note) == (2, next_month, "监理门槛降至100万元")
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED and draft.published_as == pack
    assert rule_pack(baotou.jurisdiction, as_of=today).version == 1
    assert rule_pack(baotou.jurisdiction, as_of=next_month).version == 2
    with pytest.raises(InvalidTransition):
        services.draft_publish(
            actor=admin, draft_id=draft.pk, revision=draft.revision, effective_from=next_month, note="again"
        )
    # the export reads back as the very content stored
    text = dump_pack_text(pack.content)
    assert load_pack_text(text)[1] == pack.content
    assert SecurityEvent.objects.filter(kind="rule_pack_published").count() == 1


def test_a_successor_draft_starts_the_day_after_the_measure_ends(baotou):
    draft = services.draft_open(actor=_admin(baotou), code="baotou", successor=True)
    assert draft.successor
    ends = RulePack.objects.get(jurisdiction=baotou.jurisdiction).spec.measure.effective_to
    assert draft.content["measure"]["effective_from"] == (ends + dt.timedelta(days=1)).isoformat()
    assert "effective_to" not in draft.content["measure"]


def test_expert_yaml_is_validated_with_line_numbers(baotou):
    admin = _admin(baotou)
    draft = services.draft_open(actor=admin, code="baotou")
    text = dump_pack_text(draft.content).replace("value: 200", "value: lots", 1)
    with pytest.raises(ValidationFailed) as caught:
        services.draft_yaml_save(actor=admin, draft_id=draft.pk, revision=draft.revision, text=text)
    (problem,) = caught.value.extra["problems"]
    assert problem["line"] and problem["field"].endswith(".value")
    saved = services.draft_yaml_save(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        text=text.replace("value: lots", "value: 120"),
    )
    assert _rule(saved, SUPERVISION)["value"] == 120


def test_expert_yaml_that_aliases_blow_up_is_refused(baotou):
    """A few lines of YAML aliases stand for 10⁷ values (“billion laughs”): refused before they are read."""
    admin = _admin(baotou)
    draft = services.draft_open(actor=admin, code="baotou")
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 7)]
    bomb = dump_pack_text(draft.content) + "\n".join(lines) + "\n"
    with pytest.raises(ValidationFailed) as caught:
        services.draft_yaml_save(actor=admin, draft_id=draft.pk, revision=draft.revision, text=bomb)
    assert "200,000" in str(caught.value.extra["errors"])
