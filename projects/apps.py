from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        # Issue 10's records register what they hold up, the facts they date, their inbox items
        # and their project-page sections.
        import projects.construction.hooks
        import projects.deadlines.hooks
        import projects.decommission.hooks
        import projects.findings.hooks
        import projects.notifications.hooks
        import projects.nudges.hooks
        import projects.reports.hooks  # noqa: F401
