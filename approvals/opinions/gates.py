"""What the department opinions still owe before the pack's `opinions.before` transition (approve).

Never requested; required ones unanswered (mode all) or none agreed (mode any, 或签); a required
answer that disagrees (mode all; in mode any a signer added by 加签). Each gate names the bodies and
the article. The same whatever approval `stage` is being decided.
"""

from __future__ import annotations

from approvals.opinions.models import OpinionRequest
from approvals.opinions.selectors import applicable_items, opinion_state, opinions_spec
from projects.gates import Gate, gate_provider
from projects.selectors import project_facts


def _names(rows, *, english: bool) -> str:
    key = "en" if english else "zh"
    names = []
    for row in rows:
        name = (row.giver_name or {}).get(key) or (row.name or {}).get(key)
        if name and name not in names:
            names.append(name)
    return ("、" if not english else ", ").join(names)


def _citation(opinions) -> dict:
    return opinions.citation.model_dump(exclude_none=True)


@gate_provider
def opinion_gates(project, transition: str, spec, stage=None) -> list[Gate]:
    opinions = opinions_spec(spec)
    if opinions is None or transition != opinions.before or not project.pk:
        return []
    state = opinion_state(list(OpinionRequest.objects.filter(project_id=project.pk)), opinions.mode)
    citation = _citation(opinions)
    title = {"zh": "部门会签意见", "en": "Department opinions"}
    if not state.requested:
        items = applicable_items(opinions, project_facts(project))
        if not items:
            return []
        rows = [OpinionRequest(giver_name=i.giver.name.model_dump(), name=i.name.model_dump()) for i in items]
        return [
            Gate(
                "opinions",
                "requested",
                title,
                {
                    "zh": f"尚未征求部门会签意见（{_names(rows, english=False)}）",
                    "en": f"The department opinions have not been requested ({_names(rows, english=True)})",
                },
                citation,
            )
        ]
    gates = []
    if state.blocking:
        rows = state.blocking
        gates.append(
            Gate(
                "opinions",
                "disagreed",
                title,
                {
                    "zh": f"{_names(rows, english=False)}不同意，需处理后重新征求意见",
                    "en": f"{_names(rows, english=True)} disagreed; resolve it and request the opinions anew",
                },
                citation,
            )
        )
    if opinions.mode == "any":
        if not any(r.agreed for r in state.pack_items) and state.pack_items:
            rows = [r for r in state.pack_items if r.is_open] or state.pack_items
            gates.append(
                Gate(
                    "opinions",
                    "none_agreed",
                    title,
                    {
                        "zh": f"尚无部门同意（任一同意即可）：{_names(rows, english=False)}",
                        "en": f"No department has agreed yet (one suffices): {_names(rows, english=True)}",
                    },
                    citation,
                )
            )
        waiting = [r for r in state.added if r.is_open]
    else:
        waiting = state.waiting
    if waiting:
        gates.append(
            Gate(
                "opinions",
                "waiting",
                title,
                {
                    "zh": f"尚未收到{_names(waiting, english=False)}的会签意见",
                    "en": f"Awaiting the opinion of {_names(waiting, english=True)}",
                },
                citation,
            )
        )
    return gates
