from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    """Investment baseline, change requests (调整) and O&M funding (运维经费)."""

    name = "budgets"
    verbose_name = _("Budgets and changes")

    def ready(self) -> None:
        import budgets.changes.hooks
        import budgets.om.hooks  # noqa: F401
