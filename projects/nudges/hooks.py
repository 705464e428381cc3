"""What projects.nudges registers at start-up: the 「催办」 section of the project page (views module)."""

import projects.nudges.views  # noqa: F401
