"""The rule packs shipped with govproj: one YAML file per jurisdiction in jurisdictions/packs/."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jurisdictions.rules.schema import RulePackSpec, load_pack_text

PACK_DIR = Path(__file__).resolve().parent / "packs"


def shipped_codes() -> list[str]:
    return sorted(path.stem for path in PACK_DIR.glob("*.yaml"))


def pack_path(code: str) -> Path:
    return PACK_DIR / f"{code}.yaml"


@cache
def shipped_pack(code: str) -> tuple[RulePackSpec, dict]:
    """Parse and validate the shipped pack for `code` (cached: the files do not change at run time)."""
    path = pack_path(code)
    return load_pack_text(path.read_text(encoding="utf-8"), source=path.name)
