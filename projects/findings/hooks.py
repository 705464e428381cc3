"""What projects.findings registers at start-up: its project-page section (registered by the views module)."""

import projects.findings.views  # noqa: F401
