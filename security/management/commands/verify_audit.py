"""Check the hash chains of the project audit trail and the security log; name the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from govproj.chain import verify_chain
from projects.models import AuditEvent
from security.models import SecurityEvent
from security.services import purged_anchors


class Command(BaseCommand):
    help = "Verify that no audit or security event was changed, removed or reordered (exit 1 if one was)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="list every broken link, not only the first")

    def handle(self, *args, **options):
        checks = [(AuditEvent, {}), (SecurityEvent, purged_anchors())]
        broken = []
        for model, anchors in checks:
            for link in verify_chain(model, anchors):
                broken.append(link)
                if not options["all"]:
                    break
            if broken and not options["all"]:
                break
        if broken:
            for link in broken[1:]:
                self.stderr.write(f"also broken: {link}")
            raise CommandError(f"First broken link: {broken[0]}")
        counts = ", ".join(f"{m._meta.label} {m._default_manager.count()} rows" for m, _ in checks)
        self.stdout.write(self.style.SUCCESS(f"Audit chains intact: {counts}."))
