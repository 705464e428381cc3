"""The budgets app's records live in its modules; importing them here registers them with the app."""

from budgets.baseline.models import InvestmentBaseline  # noqa: F401
