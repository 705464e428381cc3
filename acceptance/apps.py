from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcceptanceConfig(AppConfig):
    """Acceptance (验收) and evaluation (绩效评价, 后评价)."""

    name = "acceptance"
    verbose_name = _("Acceptance and evaluation")

    def ready(self) -> None:
        import acceptance.completion.hooks
        import acceptance.evaluation.hooks  # noqa: F401
