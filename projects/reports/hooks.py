"""What projects.reports registers at start-up: its project-page section and every report kind."""

import projects.reports.documents
import projects.reports.views  # noqa: F401
