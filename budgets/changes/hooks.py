"""What budgets.changes registers at start-up: its inbox items and its project-page section.

Imported by the app's AppConfig.ready().
"""

from __future__ import annotations

import budgets.changes.inbox  # noqa: F401  (registers the inbox source)
from budgets.changes.selectors import change_overview
from projects.models import Phase
from projects.records import project_section
from projects.selectors import RECORD_FACT_DEFAULTS

# No change request judged major (南充 第二十六条), none made before its approval: no major change and
# no change made without approval (the reviewer's judgment on a request, once recorded, wins).
RECORD_FACT_DEFAULTS.update({"major_change": False, "change_made_without_approval": False})

# Phases in which a project has (or may get) a baseline, changes and final accounts to show.
SHOWN_PHASES = (
    Phase.APPROVED,
    Phase.IN_CONSTRUCTION,
    Phase.SUSPENDED,
    Phase.TRIAL_OPERATION,
    Phase.IN_ACCEPTANCE,
    Phase.IN_OPERATION,
    Phase.TERMINATED,
    Phase.DECOMMISSIONED,
)


@project_section(20, "budgets/changes/_section.html")
def change_section(user, project, *, pack, verdicts, events):
    if project.phase not in SHOWN_PHASES:
        return None
    return {"changes": change_overview(user, project, pack=pack, verdicts=verdicts)}
