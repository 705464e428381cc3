"""Load the shipped rule packs (jurisdictions/packs/*.yaml) or given files; idempotent.

A pack an admin has edited in the browser since its file was last loaded is left alone (with a
warning): every deploy runs this command, and loading the file again would silently put back the
rules the admin changed. `--force` loads it anyway, as a new version on top.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from jurisdictions.models import RulePack, content_hash
from jurisdictions.packfiles import PACK_DIR, pack_path, shipped_codes
from jurisdictions.rules import PackError, measure_status
from jurisdictions.rules.schema import load_pack_text
from jurisdictions.services import EDITOR_SOURCE, publish_rule_pack


class Command(BaseCommand):
    help = "Validate and load rule packs; a new version is stored only when a pack's content changed."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="YAML files (default: every shipped pack)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="load a file even where the pack was edited in the browser since the file was loaded",
        )

    def handle(self, *args, files, force=False, **options):
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
        if not force:
            loaded = [item for item in loaded if not self._edited_since(*item)]
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

    def _edited_since(self, path, spec, content) -> bool:
        """The pack's latest version was published in the editor, and the file is not what it was built on."""
        versions = RulePack.objects.filter(jurisdiction__code=spec.jurisdiction.code).order_by("-version")
        latest = versions.first()
        if latest is None or not latest.source.startswith(EDITOR_SOURCE):
            return False
        if latest.content_hash == content_hash(content):
            return False  # the latest version itself (e.g. its export): "unchanged"
        from_files = versions.exclude(source__startswith=EDITOR_SOURCE).first()
        if from_files is not None and from_files.content_hash == content_hash(content):
            code, version = spec.jurisdiction.code, latest.version
            self.stdout.write(f"{code}: unchanged, v{version} (edited in the browser after the file)")
            return True
        self.stderr.write(
            f"{spec.jurisdiction.code}: {path.name} not loaded: v{latest.version} was published in the "
            "browser after the file was last loaded, and loading the file would undo it. "
            "Make the change in the rule-pack editor, or load with --force."
        )
        return True
