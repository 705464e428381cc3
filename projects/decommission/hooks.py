"""What projects.decommission registers at start-up: gates, dated facts, inbox items, page sections.

Imported by the app's AppConfig.ready(): the gate on `decommission` (projects.decommission.gates), the
inbox source (projects.decommission.inbox) and the page section (registered by the views module). The
master `decommission` transition is run only by the record (its page), never offered alone.
"""

import projects.decommission.gates
import projects.decommission.inbox
import projects.decommission.views  # noqa: F401
from projects.selectors import RECORD_RUN

RECORD_RUN["decommission"] = "projects:decommission-complete"
