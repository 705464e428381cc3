"""项目档案 (dossier): everything kept about one project, in one ZIP an auditor can check offline.

    documents/<code>/v<version>_<name>   every uploaded version of every document (superseded and
                                         rejected ones too: the manifest says which)
    attachments/<record>/<name>          the files kept on records: review steps, expert opinions,
                                         third-party reviews, department opinions (会签),
                                         self- and post-evaluations, supervision contract, incidents
    reports/<name>                       every report printed for the project (not earlier dossiers)
    audit/events.csv                     the audit trail for Excel (UTF-8 with BOM, Chinese labels)
    audit/events.json                    the same rows in full, with their chain fields
    audit/verdicts.json                  the rule verdicts recorded at each decision
    manifest.json                        the project, who asked and when, the pack version, and each
                                         file's path, size and SHA-256 (written last)
    MANIFEST.sha256                      the same digests for `sha256sum -c` (manifest.json included)

Built on disk by streaming: each stored file is copied from Django's storage in 1 MiB chunks into
its ZIP member, hashed on the way, so memory stays flat however large the dossier (ZIP64 throughout;
already-compressed files are stored, the rest deflated). A file the storage no longer holds is
listed under `missing` in the manifest instead of failing the whole dossier.

A project's kind, for auditors, reviewers and the jurisdiction's administrator; always printable.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jurisdictions.models import Role
from projects.documents.models import ProjectDocument
from projects.models import AuditEvent
from projects.reports.kinds import Built, Progress, ReportKind, Subject, register
from projects.reports.models import Report, ReportStatus
from security.selectors import person_name

CODE = "dossier"
PREFIX = "project:"
CHUNK = 1024 * 1024
NAME_MAX = 150  # characters of one path component: room for unzip tools on every system
# Files whose content is compressed already: stored as they are (deflating them again gains nothing).
STORED = frozenset(
    {"pdf", "ofd", "zip", "docx", "xlsx", "pptx", "png", "jpg", "jpeg", "gif", "webp", "gz", "tgz"}
    | {"bz2", "xz", "7z", "rar", "mp3", "mp4", "mov"}
)
EVENT_COLUMNS = [
    "事件编号",
    "时间",
    "操作人",
    "操作",
    "原阶段",
    "新阶段",
    "说明",
    "规则包版本",
    "变更内容",
    "链序号",
    "前一哈希",
    "本条哈希",
]


def subjects(user, project) -> list[Subject]:
    return [Subject(f"{PREFIX}{project.pk}", str(_("Complete dossier")))]


# ----------------------------------------------------------------------------------------------------
# Names inside the ZIP


def safe_name(name: str, fallback: str = "file") -> str:
    """One path component: no folders, no `..`, no control characters; Chinese kept; cut to fit."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else "_" for c in name)
    name = re.sub(r'[<>:"|?*]', "_", name).strip().lstrip(".").strip()
    if not name:
        return fallback
    if len(name) > NAME_MAX:
        stem, dot, suffix = name.rpartition(".")
        keep = dot and 0 < len(suffix) <= 10
        name = (stem[: NAME_MAX - len(suffix) - 1] + "." + suffix) if keep else name[:NAME_MAX]
    return name


def suffix_of(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".")


# ----------------------------------------------------------------------------------------------------
# What goes in


@dataclass
class Source:
    """One stored file to copy in, with what the manifest says about it."""

    path: str  # inside the ZIP, before de-duplication
    field: FieldFile
    size: int | None  # as recorded (for progress); None: ask the storage
    about: dict = field(default_factory=dict)


def _document_sources(project) -> list[Source]:
    spec = project.rule_pack.spec if project.rule_pack_id else None
    rows = (
        ProjectDocument.objects.filter(project=project)
        .select_related("uploaded_by", "rejected_by")
        .order_by("code", "version", "pk")
    )
    sources = []
    for row in rows:
        name = spec.document_name(row.code).zh if spec else row.code
        sources.append(
            Source(
                path=f"documents/{safe_name(row.code)}/v{row.version}_{safe_name(row.original_name)}",
                field=row.file,
                size=row.size,
                about={
                    "source": "document",
                    "document": row.code,
                    "document_name": name,
                    "version": row.version,
                    "current": row.is_current,
                    "rejected": row.is_rejected,
                    "rejection_reason": row.rejection_reason,
                    "original_name": row.original_name,
                    "uploaded_by": person_name(row.uploaded_by),
                    "uploaded_at": row.created_at,
                    "superseded_at": row.superseded_at,
                    "rejected_at": row.rejected_at,
                    "rejected_by": person_name(row.rejected_by),
                    "recorded_sha256": row.sha256,
                },
            )
        )
    return sources


def _attachment_models() -> list[tuple[str, str, type]]:
    """(folder, what it is in Chinese, model) of every record that keeps a file and names its project."""
    from acceptance.evaluation.models import PostEvaluation, SelfEvaluation
    from approvals.opinions.models import OpinionRequest
    from approvals.reviews.models import ExpertAssignment, ReviewStep, ThirdPartyReview
    from projects.construction.models import IncidentReport, SupervisionContract

    return [
        ("review_step", "评审步骤材料", ReviewStep),
        ("expert_opinion", "专家评审意见", ExpertAssignment),
        ("third_party_review", "第三方评审报告", ThirdPartyReview),
        ("department_opinion", "部门会签意见", OpinionRequest),
        ("supervision_contract", "监理合同", SupervisionContract),
        ("incident_report", "重大事项报告", IncidentReport),
        ("self_evaluation", "自评价报告", SelfEvaluation),
        ("post_evaluation", "后评价报告", PostEvaluation),
    ]


def _attachment_sources(project) -> list[Source]:
    sources = []
    for folder, label, model in _attachment_models():
        for row in model.objects.filter(project=project).exclude(file="").order_by("pk"):
            given = getattr(row, "file_name", "") or PurePosixPath(row.file.name).name
            sources.append(
                Source(
                    path=f"attachments/{folder}_{row.pk}/{safe_name(given)}",
                    field=row.file,
                    size=None,
                    about={
                        "source": "attachment",
                        "record": f"{folder}:{row.pk}",
                        "record_label": label,
                        "original_name": given,
                    },
                )
            )
    return sources


def _report_sources(project) -> list[Source]:
    rows = (
        Report.objects.filter(project=project, status=ReportStatus.DONE)
        .exclude(kind=CODE)
        .exclude(file="")
        .select_related("requested_by")
        .order_by("created_at", "pk")
    )
    return [
        Source(
            path=f"reports/{safe_name(row.file_name or PurePosixPath(row.file.name).name)}",
            field=row.file,
            size=row.size,
            about={
                "source": "report",
                "report": row.pk,
                "kind": row.kind,
                "title": row.title,
                "document_number": row.document_number,
                "requested_by": person_name(row.requested_by),
                "printed_at": row.finished_at,
                "recorded_sha256": row.sha256,
            },
        )
        for row in rows
    ]


# ----------------------------------------------------------------------------------------------------
# Writing the ZIP


class _Hashing:
    """A writable that hashes and counts what passes into the ZIP member under it."""

    def __init__(self, member) -> None:
        self.member = member
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.member.write(data)


class DossierWriter:
    def __init__(self, target: Path, progress: Progress, total: int) -> None:
        self.archive = zipfile.ZipFile(target, "w", allowZip64=True)
        self.progress = progress
        self.total = max(total, 1)
        self.done = 0
        self.percent = -1
        self.files: list[dict] = []
        self.missing: list[dict] = []
        self.used: set[str] = set()
        self.moment = timezone.localtime().timetuple()[:6]

    def close(self) -> None:
        self.archive.close()

    def unique(self, path: str) -> str:
        """The path, or `name (2).ext` … when another file took it already."""
        if path not in self.used:
            self.used.add(path)
            return path
        folder, _slash, name = path.rpartition("/")
        stem, dot, suffix = name.rpartition(".")
        if not dot:
            stem, suffix = name, ""
        for n in range(2, 100_000):
            candidate = f"{folder}/{stem} ({n}){dot}{suffix}" if folder else f"{stem} ({n}){dot}{suffix}"
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
        raise RuntimeError(f"too many files named {path}")

    def _info(self, path: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, date_time=self.moment)
        info.compress_type = zipfile.ZIP_STORED if suffix_of(path) in STORED else zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    def _advance(self, count: int, step: str) -> None:
        self.done += count
        percent = 5 + int(85 * min(self.done, self.total) / self.total)
        if percent != self.percent:  # one UPDATE per percent, not per chunk
            self.percent = percent
            self.progress(percent, step)

    def copy(self, source: Source, step: str) -> None:
        """Stream one stored file into its member, hashing it on the way."""
        try:
            stream = source.field.storage.open(source.field.name, "rb")
        except OSError as exc:
            self.missing.append(
                {"path": source.path, "stored_as": source.field.name, "error": str(exc), **source.about}
            )
            self._advance(source.size or 0, step)
            return
        path = self.unique(source.path)
        with stream, self.archive.open(self._info(path), "w", force_zip64=True) as member:
            sink = _Hashing(member)
            while chunk := stream.read(CHUNK):
                sink.write(chunk)
                self._advance(len(chunk), step)
        entry = {"path": path, "size": sink.size, "sha256": sink.digest.hexdigest(), **source.about}
        if "recorded_sha256" in entry:
            entry["matches_record"] = entry["recorded_sha256"] == entry["sha256"]
        self.files.append(entry)

    def text(self, path: str, lines: Iterable[str], source: str, **about) -> dict:
        """A member written line by line (UTF-8), hashed on the way; listed in the manifest."""
        path = self.unique(path)
        with self.archive.open(self._info(path), "w", force_zip64=True) as member:
            sink = _Hashing(member)
            buffer = io.BytesIO()
            for line in lines:
                buffer.write(line.encode("utf-8"))
                if buffer.tell() >= CHUNK:
                    sink.write(buffer.getvalue())
                    buffer = io.BytesIO()
            sink.write(buffer.getvalue())
        entry = {
            "path": path,
            "size": sink.size,
            "sha256": sink.digest.hexdigest(),
            "source": source,
            **about,
        }
        if source:
            self.files.append(entry)
        return entry


# ----------------------------------------------------------------------------------------------------
# The audit trail


def _events(project) -> Iterator[AuditEvent]:
    return (
        AuditEvent.objects.filter(project=project)
        .select_related("actor", "rule_pack")
        .order_by("seq", "at", "pk")
        .iterator(chunk_size=500)
    )


def _dumps(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def _at(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _csv_lines(project) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def line(row) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow(row)
        return out.getvalue()

    yield "\ufeff" + line(EVENT_COLUMNS)  # the BOM: Excel then reads the file as UTF-8
    for event in _events(project):
        yield line(
            [
                event.pk,
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
                person_name(event.actor),
                event.action_label,
                event.from_label,
                event.to_label,
                event.comment,
                event.rule_pack.version if event.rule_pack else "",
                _dumps(event.changes) if event.changes else "",
                event.seq,
                event.prev_hash,
                event.hash,
            ]
        )


def _event_row(event: AuditEvent) -> dict:
    return {
        "id": event.pk,
        "at": _at(event.at),
        "stream": event.stream,
        "seq": event.seq,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
        "actor": {"id": event.actor_id, "name": person_name(event.actor)},
        "action": event.action,
        "action_label": event.action_label,
        "from_phase": event.from_phase,
        "from_label": event.from_label,
        "to_phase": event.to_phase,
        "to_label": event.to_label,
        "comment": event.comment,
        "rule_pack_version": event.rule_pack.version if event.rule_pack else None,
        "verdicts": event.verdicts,
        "changes": event.changes,
    }


def _json_array(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON array written row by row (never the whole list in memory)."""
    yield "["
    first = True
    for row in rows:
        yield ("\n  " if first else ",\n  ") + _dumps(row)
        first = False
    yield "\n]\n"


def _verdict_rows(project) -> Iterator[dict]:
    for event in _events(project):
        if event.verdicts:
            yield {
                "event": event.pk,
                "at": _at(event.at),
                "action": event.action,
                "action_label": event.action_label,
                "rule_pack_version": event.rule_pack.version if event.rule_pack else None,
                "verdicts": event.verdicts,
            }


# ----------------------------------------------------------------------------------------------------
# The build


def _size(source: Source) -> int:
    if source.size is not None:
        return source.size
    try:
        return source.field.storage.size(source.field.name)
    except (OSError, NotImplementedError):
        return 0


def build(report: Report, progress: Progress, directory: Path) -> Built:
    project = report.project
    project = (
        type(project).objects.select_related("jurisdiction", "department", "rule_pack").get(pk=project.pk)
    )
    progress(2, _("Listing the files"))
    sources = [*_document_sources(project), *_attachment_sources(project), *_report_sources(project)]
    total = sum(_size(source) for source in sources)
    target = directory / "dossier.zip"
    writer = DossierWriter(target, progress, total)
    started = time.monotonic()
    try:
        for number, source in enumerate(sources, 1):
            writer.copy(
                source, _("Adding the files (%(n)d of %(total)d)") % {"n": number, "total": len(sources)}
            )
        progress(91, _("Writing the audit trail"))
        writer.text("audit/events.csv", _csv_lines(project), "audit")
        writer.text("audit/events.json", _json_array(_event_row(e) for e in _events(project)), "audit")
        writer.text("audit/verdicts.json", _json_array(_verdict_rows(project)), "audit")
        progress(94, _("Writing the manifest"))
        pack = report.rule_pack
        manifest = {
            "format": "govproj-dossier/1",
            "project": {
                "id": project.pk,
                "code": project.code,
                "title": project.title,
                "phase": project.phase,
                "jurisdiction": {"code": project.jurisdiction.code, "name": project.jurisdiction.name_zh},
                "department": project.department.name_zh,
            },
            "report": {"id": report.pk, "document_number": report.document_number, "title": report.title},
            "generated_at": _at(timezone.now()),
            "requested_by": person_name(report.requested_by),
            "requested_at": _at(report.created_at),
            "rule_pack": (
                {"version": pack.version, "measure": pack.measure_title, "content_hash": pack.content_hash}
                if pack
                else None
            ),
            "files": writer.files,
            "missing": writer.missing,
            "build_seconds": round(time.monotonic() - started, 3),
        }
        listed = writer.text(
            "manifest.json",
            [json.dumps(manifest, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), "\n"],
            "",
        )
        sums = [f"{entry['sha256']}  {entry['path']}\n" for entry in [*writer.files, listed]]
        writer.text("MANIFEST.sha256", sums, "")
    finally:
        writer.close()
    return Built(target, f"{safe_name(report.title, 'dossier')}.zip")


register(
    ReportKind(
        code=CODE,
        label=gettext_lazy("Project dossier"),
        scope="project",
        subjects=subjects,
        roles=frozenset({Role.AUDITOR, Role.REVIEWER, Role.JURISDICTION_ADMIN}),
        build=build,
        extension="zip",
        order=80,
    )
)
