"""What an uploaded file is, read from its bytes (magic numbers and container entries), not its name.

puremagic (pure Python, no libmagic to install on an intranet server) names the container from the
file's first bytes; the containers are then opened to tell their kinds apart:
- ZIP: OFD (GB/T 33190, an `OFD.xml` entry at the root), Word (.docx, `word/` entries), Excel
  (.xlsx, `xl/` entries), or a plain ZIP;
- OLE2 compound file: Word 97–2003 (.doc, a `WordDocument` stream) or Excel 97–2003 (.xls, a
  `Workbook` or `Book` stream); the stream names are looked for in UTF-16 as OLE2 stores them.
A name whose extension disagrees with the content is refused too, so a file never opens in the
wrong program on the reader's machine.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import puremagic
from django.utils.translation import gettext as _

from projects.documents.models import DocumentKind

CHUNK = 1024 * 1024
HEAD = 8192  # puremagic's signatures of the kinds accepted here all lie in the first bytes

# The extensions a name may have for each kind.
EXTENSIONS: dict[str, frozenset[str]] = {
    DocumentKind.PDF: frozenset({".pdf"}),
    DocumentKind.OFD: frozenset({".ofd"}),
    DocumentKind.DOC: frozenset({".doc"}),
    DocumentKind.DOCX: frozenset({".docx"}),
    DocumentKind.XLS: frozenset({".xls"}),
    DocumentKind.XLSX: frozenset({".xlsx"}),
    DocumentKind.PNG: frozenset({".png"}),
    DocumentKind.JPEG: frozenset({".jpg", ".jpeg"}),
    DocumentKind.ZIP: frozenset({".zip"}),
}
MIME_TYPES: dict[str, str] = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.OFD: "application/ofd",
    DocumentKind.DOC: "application/msword",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.XLS: "application/vnd.ms-excel",
    DocumentKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DocumentKind.PNG: "image/png",
    DocumentKind.JPEG: "image/jpeg",
    DocumentKind.ZIP: "application/zip",
}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
WORD_STREAM = "WordDocument".encode("utf-16-le")
EXCEL_STREAMS = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))


class RefusedFile(ValueError):
    """The file may not be kept; the message says why in the reader's language."""


@dataclass(frozen=True)
class Sniffed:
    kind: str
    size: int
    sha256: str

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.kind]


def _container(head: bytes) -> str | None:
    """The family puremagic finds in the first bytes: pdf, png, jpeg, zip, ole2, or None."""
    try:
        found = puremagic.magic_string(head)
    except puremagic.PureError:
        return None
    extensions = {match.extension.lower() for match in found}
    byte_matches = {bytes(match.byte_match) for match in found}
    if ".pdf" in extensions:
        return "pdf"
    if ".png" in extensions:
        return "png"
    if extensions & {".jpg", ".jpeg"}:
        return "jpeg"
    # Office and OFD files share the ZIP and OLE2 signatures, under whichever extension puremagic
    # names first: read the signature it matched, then look inside.
    if any(match.startswith(ZIP_MAGIC) for match in byte_matches) and head.startswith(ZIP_MAGIC):
        return "zip"
    if any(match.startswith(OLE2_MAGIC) for match in byte_matches) and head.startswith(OLE2_MAGIC):
        return "ole2"
    return None


def _zip_kind(file) -> str | None:
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):  # not a ZIP we can read
        return None
    if "OFD.xml" in names:
        return DocumentKind.OFD
    if "[Content_Types].xml" in names and any(name.startswith("word/") for name in names):
        return DocumentKind.DOCX
    if "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names):
        return DocumentKind.XLSX
    return DocumentKind.ZIP


def _ole2_kind(file) -> str | None:
    """Word or Excel 97–2003, by the stream names in the compound file's directory."""
    file.seek(0)
    tail = b""
    while chunk := file.read(CHUNK):
        window = tail + chunk
        if WORD_STREAM in window:
            return DocumentKind.DOC
        if any(stream in window for stream in EXCEL_STREAMS):
            return DocumentKind.XLS
        tail = window[-32:]
    return None


def sniff(file, *, name: str, max_bytes: int) -> Sniffed:
    """The kind, size and sha256 of an uploaded file, or RefusedFile saying why it is not accepted.

    `file` is read from the start in chunks (an uploaded file may be on disk, and up to the limit).
    """
    file.seek(0)
    digest = hashlib.sha256()
    size = 0
    head = b""
    while chunk := file.read(CHUNK):
        if len(head) < HEAD:
            head += chunk[: HEAD - len(head)]
        size += len(chunk)
        if size > max_bytes:
            raise RefusedFile(
                _("The file is larger than the limit of %(limit)s MB.")
                % {"limit": max_bytes // (1024 * 1024)}
            )
        digest.update(chunk)
    if size == 0:
        raise RefusedFile(_("The file is empty."))
    container = _container(head)
    kind: str | None = container if container in ("pdf", "png", "jpeg") else None
    if container == "zip":
        file.seek(0)
        kind = _zip_kind(file)
    elif container == "ole2":
        kind = _ole2_kind(file)
    file.seek(0)
    if kind is None:
        raise RefusedFile(
            _("This type of file is not accepted: only PDF, OFD, Word, Excel, PNG, JPEG and ZIP files are.")
        )
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in EXTENSIONS[kind]:
        raise RefusedFile(
            _("The file's name ends in “%(suffix)s” but its content is %(kind)s.")
            % {"suffix": suffix or _("(no extension)"), "kind": DocumentKind(kind).label}
        )
    return Sniffed(kind=kind, size=size, sha256=digest.hexdigest())
