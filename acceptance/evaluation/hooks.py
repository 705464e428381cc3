"""What acceptance.evaluation registers at start-up: gates, dated facts, inbox items, page sections.

Imported by the app's AppConfig.ready(). The section registers itself on import of the views module
(`@project_section`); the inbox sources likewise (acceptance.evaluation.inbox).
"""

import acceptance.evaluation.inbox
import acceptance.evaluation.views  # noqa: F401
