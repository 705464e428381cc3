"""A file attached to a record (a review opinion, a department's answer): kept and served as documents are.

Typed by its content (content_types.sniff), stored through Django's storage API under the record's
`upload_to`, and streamed back only by a permission-checked view as an attachment that is never
cached or sniffed by the browser.
"""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _

from govproj.errors import ValidationFailed
from projects.documents.content_types import MIME_TYPES, RefusedFile, sniff


def clean_name(name: str) -> str:
    """The file's own name, without folders or control characters (NUL cannot be stored), cut to fit."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF).strip()
    if len(name) > 255:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: 254 - len(suffix)] + dot + suffix) if dot and len(suffix) <= 10 else name[:255]
    return name


def keep_file(row, file, *, max_bytes: int, field: str = "file") -> dict:
    """Store an uploaded file on `row.file` (row.file_name keeps the name it came with; row.file_kind
    its type, where the record has one). Returns what the audit event says about it; {} for no file."""
    if not file:
        return {}
    name = clean_name(getattr(file, "name", "") or "")
    if not name:
        raise ValidationFailed(extra={"errors": {field: [_("The file has no name.")]}})
    try:
        sniffed = sniff(file, name=name, max_bytes=max_bytes)
    except RefusedFile as exc:
        raise ValidationFailed(str(exc), extra={"errors": {field: [str(exc)]}}) from exc
    if hasattr(row, "file_kind"):
        row.file_kind = sniffed.kind
    row.file_name = name
    row.file.save(f"{name.rsplit('.', 1)[0]}.{sniffed.kind}", file, save=False)
    return {"file": name, "size": sniffed.size, "sha256": sniffed.sha256}


def file_response(stored, *, filename: str, kind: str = "", sha256: str = "") -> FileResponse:
    """The stored file streamed as an attachment under `filename`; `kind` is its sniffed type
    (else read from the stored name's extension, which keep_file sets from the content)."""
    kind = kind or stored.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=MIME_TYPES.get(kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if sha256:
        response["X-Document-SHA256"] = sha256
    return response
