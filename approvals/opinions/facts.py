"""The `prerequisites_complete_date` fact (前置要件齐全), derived from the opinions' audit events.

Imported by ApprovalsConfig.ready(): the `opinions_complete` event sets the date (a later one
moves it: a new round completed later); opening a round (first request, re-request, 加签) resets
it until the opinions are complete again.
"""

from __future__ import annotations

from projects import selectors

COMPLETE = "opinions_complete"
REQUESTED = "opinions_requested"
SIGNER_ADDED = "opinion_signer_added"
REREQUESTED = "opinions_rerequested"
ANSWERED = "opinion_answer"
FACT = "prerequisites_complete_date"

selectors.TRANSITION_DATE_FACTS[COMPLETE] = (FACT,)
selectors.LATEST_EVENT_FACTS.add(FACT)
for _action in (REQUESTED, SIGNER_ADDED, REREQUESTED):
    selectors.EVENT_RESETS[_action] = (FACT,)
