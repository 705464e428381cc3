"""Documents on file for a project (报送材料): every upload kept, one current version per document code.

A document's code is one of the rule pack's `documents`; the `documents` fact the engine reads is
derived from the current, not-rejected rows (projects.selectors.project_facts). Rows are never
deleted: a new upload of the same code supersedes the current one, and a reviewer's rejection is
recorded on the row with its reason. The file itself lives in Django's storage
(STORAGES["default"]: local files, or S3-compatible object storage) and is read only through the
permission-checked download view, never from a public media URL.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govproj.models import TimeStampedModel


class DocumentKind(models.TextChoices):
    """What the content is (sniffed from its bytes, projects.documents.content_types), not its name."""

    PDF = "pdf", "PDF"
    OFD = "ofd", "OFD"
    DOC = "doc", "Word (.doc)"
    DOCX = "docx", "Word (.docx)"
    XLS = "xls", "Excel (.xls)"
    XLSX = "xlsx", "Excel (.xlsx)"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"
    ZIP = "zip", "ZIP"


def document_path(instance: ProjectDocument, filename: str) -> str:
    """A name the uploader cannot choose: the project, then a random name with the sniffed extension.

    The name people gave the file is kept in `original_name` and sent back on download.
    """
    suffix = f".{instance.kind}" if instance.kind else PurePosixPath(filename).suffix.lower()[:10]
    return f"projects/{instance.project_id}/documents/{uuid.uuid4().hex}{suffix}"


class ProjectDocumentQuerySet(models.QuerySet):
    def current(self) -> ProjectDocumentQuerySet:
        return self.filter(superseded_at__isnull=True)

    def accepted(self) -> ProjectDocumentQuerySet:
        """Current and not rejected: what counts as on file."""
        return self.current().filter(rejected_at__isnull=True)


class ProjectDocument(TimeStampedModel):
    """One uploaded version of one of the pack's documents for a project."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="documents"
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField(_("document"), max_length=60, help_text=_("a document of the rule pack"))
    version = models.PositiveIntegerField(
        _("version"), help_text=_("1 for the first upload of this document")
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("file type"), max_length=10, choices=DocumentKind.choices)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("note"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    objects = ProjectDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        ordering = ["project", "code", "-version"]
        constraints = [
            # Also the index that lists a project's documents and each document's versions.
            models.UniqueConstraint(fields=["project", "code", "version"], name="project_document_version"),
            # At most one current version of a document: the service locks the project to keep it so,
            # and the database refuses a second one.
            models.UniqueConstraint(
                fields=["project", "code"],
                condition=Q(superseded_at__isnull=True),
                name="project_document_one_current",
            ),
            models.CheckConstraint(
                condition=Q(rejected_at__isnull=True) | ~Q(rejection_reason=""),
                name="project_document_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.code} v{self.version}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def is_rejected(self) -> bool:
        return self.rejected_at is not None

    def can_reject(self) -> bool:
        """Only the current, not yet rejected version can be rejected (a cheap check on its own fields)."""
        return self.is_current and not self.is_rejected
