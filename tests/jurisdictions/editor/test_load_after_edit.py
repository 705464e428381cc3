"""Every deploy runs load_rulepacks: it must never put back rules an admin changed in the browser."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from jurisdictions.editor import services
from jurisdictions.models import RulePack
from jurisdictions.packfiles import pack_path
from jurisdictions.rules.schema import dump_pack_text

SUPERVISION = "baotou.construction.supervision"


def _load(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_rulepacks", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def edited(pack_tenant):
    """包头 on its shipped file (v1), then version 2 published in the browser."""
    tenant = pack_tenant("baotou")
    admin = tenant.users["jurisdiction_admin"]
    draft = services.draft_open(actor=admin, code="baotou")
    rule = next(r for r in draft.content["rules"] if r["id"] == SUPERVISION)
    draft = services.draft_rule_save(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        rule={**rule, "value": 100},
        rule_id=SUPERVISION,
    )
    return services.draft_publish(
        actor=admin,
        draft_id=draft.pk,
        revision=draft.revision,
        effective_from=timezone.localdate() + dt.timedelta(days=1),
        note="监理门槛降至100万元",
    )


def test_the_unchanged_file_leaves_the_edited_pack_alone(edited):
    out, err = _load(str(pack_path("baotou")))
    assert "unchanged, v2" in out and not err
    assert RulePack.objects.filter(jurisdiction=edited.jurisdiction).count() == 2


def test_a_changed_file_is_not_loaded_over_the_edit_unless_forced(edited, tmp_path):
    changed = tmp_path / "baotou.yaml"
    changed.write_text(pack_path("baotou").read_text(encoding="utf-8").replace("value: 200", "value: 300", 1))
    out, err = _load(str(changed))
    assert "not loaded" in err and "--force" in err
    assert RulePack.objects.filter(jurisdiction=edited.jurisdiction).count() == 2
    out, err = _load(str(changed), "--force")
    assert "loaded as v3" in out
    assert (
        RulePack.objects.get(jurisdiction=edited.jurisdiction, version=3).spec.rule(SUPERVISION).value == 300
    )


def test_the_export_of_the_edited_version_loads_back_unchanged(edited, tmp_path):
    exported = tmp_path / "baotou-v2.yaml"
    exported.write_text(dump_pack_text(edited.content, header="baotou v2"), encoding="utf-8")
    out, err = _load(str(exported))
    assert "unchanged, v2" in out and not err
    assert RulePack.objects.filter(jurisdiction=edited.jurisdiction).count() == 2
