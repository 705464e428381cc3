"""List the recorded facts that the fact vocabulary now refuses.

Facts written before validation was tightened (dates outside 1900–2200, numbers out of
bounds, NUL characters, facts no longer in the vocabulary) are left out of evaluation and
shown on the project's page; this lists them all so someone can correct them.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from projects.models import Project
from projects.selectors import stored_facts


class Command(BaseCommand):
    help = "List recorded project facts the fact vocabulary refuses (exit 1 with --check when any)."

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", help="only this jurisdiction's projects (its code)")
        parser.add_argument("--check", action="store_true", help="exit with status 1 when any is found")

    def handle(self, *args, jurisdiction=None, check=False, **options):
        projects = Project.objects.select_related("jurisdiction").order_by("pk")
        if jurisdiction:
            projects = projects.filter(jurisdiction__code=jurisdiction)
        found = 0
        for project in projects.iterator(chunk_size=500):
            for problem in stored_facts(project)[1]:
                found += 1
                value = json.dumps(problem.get("value"), ensure_ascii=False, default=str)
                self.stdout.write(
                    f"{project.jurisdiction.code}\t{project.code}\t{problem['fact'] or '(facts)'}\t"
                    f"{value}\t{problem['problem']}"
                )
        summary = f"{found} invalid recorded fact(s)."
        if found and check:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary) if not found else self.style.WARNING(summary))
