from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Sign-in, API tokens and the security audit log (等保2.0 安全审计).

    An app of its own because it belongs to no domain app: every app's refusals, every
    sign-in and every admin edit end up here.
    """

    name = "security"
    verbose_name = _("Security")

    def ready(self):
        from security import signals  # noqa: F401  (connects the receivers)
