"""The approvals app's records live in its modules; importing them here registers them with the app."""

from approvals.delegation.models import Delegation  # noqa: F401
from approvals.opinions.models import OpinionRequest  # noqa: F401
from approvals.reviews.models import ExpertAssignment, ReviewStep, ThirdPartyReview  # noqa: F401
from approvals.stages.models import ApprovalStage  # noqa: F401
