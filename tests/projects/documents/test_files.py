"""A record's attached file is typed by content, kept through the storage API and served as documents are."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from approvals.reviews.models import ThirdPartyReview
from govproj.errors import ValidationFailed
from projects.documents.files import file_response, keep_file

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"x" * 100 + b"\n%%EOF\n"


def test_a_kept_file_is_named_by_its_content_and_served_as_an_attachment(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    row = ThirdPartyReview()
    said = keep_file(row, ContentFile(PDF, name="folder/评审报告.pdf"), max_bytes=10_000)
    assert row.file_name == "评审报告.pdf" and row.file.name.endswith(".pdf")
    assert said["size"] == len(PDF) and len(said["sha256"]) == 64
    response = file_response(row.file, filename=row.file_name)
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "private, no-store"
    )
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_a_file_refused_by_its_content_names_the_field():
    with pytest.raises(ValidationFailed) as refused:
        keep_file(
            ThirdPartyReview(), ContentFile(b"MZ\x90\x00" + b"\x00" * 64, name="a.pdf"), max_bytes=10_000
        )
    assert "file" in refused.value.extra["errors"]


def test_no_file_keeps_nothing():
    assert keep_file(ThirdPartyReview(), None, max_bytes=10_000) == {}
