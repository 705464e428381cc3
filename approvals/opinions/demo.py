"""The demo's department opinions: requested by the reviewer and agreed by each body's people."""

from __future__ import annotations

from approvals.acting import takers
from approvals.opinions import services
from approvals.opinions.models import Answer, OpinionRequest
from approvals.opinions.selectors import opinion_state, opinions_spec, taker_of
from projects.models import Phase
from projects.selectors import filer_ids, pack_for_project


def answer_all_opinions(project, reviewer) -> None:
    """Request the project's opinions (if not yet) and answer every open one "agree", each by someone
    who may give it (the body's login, `<code>_<department>`; the finance login for the finance
    bureau). Does nothing for packs without opinions or projects not in review."""
    opinions = opinions_spec(pack_for_project(project).spec)
    if opinions is None or project.phase != Phase.IN_REVIEW:
        return
    state = opinion_state(list(OpinionRequest.objects.filter(project_id=project.pk)), opinions.mode)
    if state.complete:
        return
    if not state.has_open:
        services.request_opinions(actor=reviewer, project_id=project.pk)
    filers = filer_ids(project)
    for request in OpinionRequest.objects.filter(project_id=project.pk, answer="", closed_at__isnull=True):
        giver = takers(project.jurisdiction_id, taker_of(request)).exclude(pk__in=filers).first()
        if giver is None:
            continue  # nobody set up for the body: the gate names it
        services.answer_opinion(
            actor=giver, project_id=project.pk, request_id=request.pk, answer=Answer.AGREE, comment="同意。"
        )
