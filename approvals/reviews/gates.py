"""The review steps a transition still waits for: a projects.gates provider (ApprovalsConfig.ready)."""

from __future__ import annotations

from approvals.reviews.selectors import applicable_steps, pack_steps, step_owed, step_rounds
from projects.gates import Gate, gate_provider


def _message(step) -> dict[str, str]:
    return {
        "zh": f"须经{step.taker.name.zh}完成「{step.name.zh}」",
        "en": f"{step.name.en} by {step.taker.name.en} must pass first",
    }


def _steps_before(spec, transition: str, stage: str | None) -> list:
    found = []
    for step in pack_steps(spec):
        if step.before != transition:
            continue
        if transition == "approve" and step.stage is not None and step.stage != stage:
            continue
        found.append(step)
    return found


@gate_provider
def review_step_gates(project, transition: str, spec, stage: str | None) -> list[Gate]:
    """Steps before `transition` whose latest round has not passed (optional: once organised)."""
    candidates = _steps_before(spec, transition, stage)
    if not candidates:
        return []  # packs without review steps (and transitions no step precedes): no query
    applicable = {s.code for s in applicable_steps(project, spec)} if project.pk else set()
    rounds = step_rounds(project) if project.pk else {}
    gates = []
    for step in candidates:
        if step.code not in applicable:
            continue
        latest = (rounds.get(step.code) or [None])[-1]
        if not step_owed(step, latest):
            continue
        citation = step.citation.model_dump() if hasattr(step.citation, "model_dump") else dict(step.citation)
        gates.append(
            Gate(
                kind="review_step",
                code=step.code,
                title={"zh": step.name.zh, "en": step.name.en},
                message=_message(step),
                citation=citation,
            )
        )
    return gates
