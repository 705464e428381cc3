"""The budgets app's records live in its modules; importing them here registers them with the app."""

from budgets.baseline.models import InvestmentBaseline  # noqa: F401
from budgets.changes.models import *  # noqa: F403
from budgets.om.models import *  # noqa: F403
