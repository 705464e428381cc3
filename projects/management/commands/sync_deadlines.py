"""Recompute every project's stored deadlines (after an upgrade, a rule-pack change or a calendar edit).

Records keep a project's deadlines in step on their own (projects.deadlines.hooks); this is for what
changes under all projects at once. Runs project by project, each in its own transaction.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from projects.deadlines.sync import deadlines_sync
from projects.models import Project


class Command(BaseCommand):
    help = "Recompute the stored deadlines of every project (or one jurisdiction's)."

    def add_arguments(self, parser):
        parser.add_argument("--jurisdiction", help="only this jurisdiction's projects (its code)")

    def handle(self, *args, jurisdiction=None, **options):
        projects = Project.objects.order_by("pk")
        if jurisdiction:
            projects = projects.filter(jurisdiction__code=jurisdiction)
        totals = {"projects": 0, "created": 0, "updated": 0, "deleted": 0}
        for pk in projects.values_list("pk", flat=True).iterator():
            counts = deadlines_sync(pk)
            totals["projects"] += 1
            for name, value in counts.items():
                totals[name] += value
        self.stdout.write(
            "{projects} projects: {created} deadlines created, {updated} updated, {deleted} deleted".format(
                **totals
            )
        )
