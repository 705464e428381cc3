from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    """Review (前置审核, expert review, department opinions) and approval of each document stage."""

    name = "approvals"
    verbose_name = _("Review and approval")

    def ready(self) -> None:
        # Each record registers what it holds up (projects.gates), the facts it dates
        # (projects.selectors) and what it puts in people's inboxes (approvals.inbox.registry).
        import approvals.inbox.intake
        import approvals.opinions.inbox
        import approvals.reviews.gates
        import approvals.reviews.inbox
        import approvals.stages.documents
        import approvals.stages.inbox  # noqa: F401
