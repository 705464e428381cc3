"""What budgets.om registers at start-up: its inbox source and its section on the project page.

Imported by the app's AppConfig.ready().
"""

from __future__ import annotations

import budgets.om.inbox  # noqa: F401  (the finance officer's 待办, kind "om")
from budgets.om.selectors import om_section
from projects.records import project_section


@project_section(50, "budgets/om/_section.html")
def _om_section(user, project, *, pack, verdicts, events):
    return om_section(user, project, verdicts=verdicts)
