from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    """Review (前置审核, expert review, department opinions) and approval of each document stage."""

    name = "approvals"
    verbose_name = _("Review and approval")
