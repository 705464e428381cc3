"""The rule engine: pure functions from (facts, rule pack) to verdicts with citations.

Nothing in this package touches the ORM or does I/O, so a pack can be tested by tables
and any project can be replayed under any pack version. See docs/rule-packs.md.
"""

from jurisdictions.rules.engine import Verdict, evaluate, measure_status
from jurisdictions.rules.errors import FactError, PackError
from jurisdictions.rules.facts import parse_facts
from jurisdictions.rules.schema import RulePackSpec, load_pack_text, validate_pack

__all__ = [
    "FactError",
    "PackError",
    "RulePackSpec",
    "Verdict",
    "evaluate",
    "load_pack_text",
    "measure_status",
    "parse_facts",
    "validate_pack",
]
