"""The approvals app's records live in its modules; importing them here registers them with the app."""

from approvals.delegation.models import Delegation  # noqa: F401
