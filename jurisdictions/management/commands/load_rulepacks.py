"""Load the shipped rule packs (jurisdictions/packs/*.yaml) or given files; idempotent."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from jurisdictions.packfiles import PACK_DIR, pack_path, shipped_codes
from jurisdictions.rules import PackError, measure_status
from jurisdictions.rules.schema import load_pack_text
from jurisdictions.services import publish_rule_pack


class Command(BaseCommand):
    help = "Validate and load rule packs; a new version is stored only when a pack's content changed."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="YAML files (default: every shipped pack)")

    def handle(self, *args, files, **options):
        paths = [Path(f) for f in files] or [pack_path(code) for code in shipped_codes()]
        if not paths:
            raise CommandError(f"No rule packs found in {PACK_DIR}")
        problems = []
        loaded = []
        for path in paths:
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                problems.append(f"{path}: cannot read: {exc.strerror}")
                continue
            try:
                loaded.append((path, *load_pack_text(text, source=path.name)))
            except PackError as exc:
                problems += [
                    f"{path}:{p.get('line') or '?'}: {p['field']}: {p['problem']}" for p in exc.problems
                ]
        if problems:
            raise CommandError("Rule pack errors, nothing loaded:\n" + "\n".join(problems))
        today = timezone.localdate()
        # Parents before children (a district names its city), all or nothing.
        codes = {spec.jurisdiction.code for _, spec, _ in loaded}
        loaded.sort(key=lambda item: item[1].jurisdiction.parent in codes)
        try:
            with transaction.atomic():
                results = [
                    (spec, publish_rule_pack(spec, content, source=path.name))
                    for path, spec, content in loaded
                ]
        except PackError as exc:
            raise CommandError(
                "Rule pack errors, nothing loaded:\n"
                + "\n".join(f"{p['field']}: {p['problem']}" for p in exc.problems)
            ) from exc
        for spec, result in results:
            status = measure_status(spec, today)
            verb = "loaded as" if result.created else "unchanged,"
            flag = f" — {status['message']['en']}" if status["flagged"] else ""
            self.stdout.write(
                f"{spec.jurisdiction.code}: {verb} v{result.pack.version} ({len(spec.rules)} rules){flag}"
            )
