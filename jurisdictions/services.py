"""Write-side services for jurisdictions: publishing rule-pack versions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jurisdictions.models import Jurisdiction, RulePack, content_hash
from jurisdictions.rules.errors import PackError
from jurisdictions.rules.schema import RulePackSpec


@dataclass(frozen=True)
class Published:
    pack: RulePack
    created: bool


@transaction.atomic
def publish_rule_pack(spec: RulePackSpec, content: dict, *, source: str, user=None) -> Published:
    """Store `content` as the jurisdiction's next version unless it equals the latest one.

    The jurisdiction row is created or renamed from the pack's header. Versions are never
    edited: a project keeps the version it pinned when it was declared.
    """
    info = spec.jurisdiction
    parent = Jurisdiction.objects.filter(code=info.parent).first() if info.parent else None
    if info.parent and parent is None:
        raise PackError(
            [
                {
                    "field": "jurisdiction.parent",
                    "line": None,
                    "problem": f"unknown jurisdiction `{info.parent}`",
                }
            ]
        )
    jurisdiction, _ = Jurisdiction.objects.select_for_update().update_or_create(
        code=info.code,
        defaults={"name_zh": info.name.zh, "name_en": info.name.en, "level": info.level, "parent": parent},
        create_defaults={
            "name_zh": info.name.zh,
            "name_en": info.name.en,
            "level": info.level,
            "parent": parent,
            "project_code_prefix": info.code.upper(),
        },
    )
    latest = RulePack.objects.filter(jurisdiction=jurisdiction).order_by("-version").first()
    if latest is not None and latest.content_hash == content_hash(content):
        return Published(latest, created=False)
    pack = RulePack.objects.create(
        jurisdiction=jurisdiction,
        version=(latest.version + 1) if latest else 1,
        content=content,
        source=source,
        measure_title=spec.measure.title.zh,
        effective_from=spec.measure.effective_from,
        effective_to=spec.measure.effective_to,
        created_by=user,
    )
    return Published(pack, created=True)
