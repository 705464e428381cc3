"""What acceptance.completion registers at start-up: the master transitions its records run, the
project page's section and the inbox source.

Imported by the app's AppConfig.ready().
"""

from __future__ import annotations

import acceptance.completion.inbox  # noqa: F401  (registers the "acceptance" inbox source)
from acceptance.completion.selectors import acceptance_overview, acceptance_shown
from projects.records import project_section
from projects.selectors import RECORD_RUN

# 试运行, 申请验收 and 验收 are taken on the trial-run and acceptance records (their pages), never alone.
RECORD_RUN.update(
    {
        "start_trial_operation": "projects:acceptance-trial-run",
        "apply_for_acceptance": "projects:acceptance-apply",
        "accept": "projects:acceptance-decide",
    }
)


@project_section(30, "acceptance/completion/_section.html")
def acceptance_section(user, project, *, pack, verdicts, events):
    if not acceptance_shown(project):
        return None
    return {"acceptance": acceptance_overview(user, project, pack=pack, verdicts=verdicts)}
