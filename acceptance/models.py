"""Acceptance (验收) and evaluation records: one module per part."""

from acceptance.completion.models import *  # noqa: F403
from acceptance.evaluation.models import *  # noqa: F403
