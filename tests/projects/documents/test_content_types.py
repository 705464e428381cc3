"""Files are typed by their bytes: a renamed program or text is refused whatever its name says."""

from __future__ import annotations

import hashlib

import pytest

from projects.documents.content_types import RefusedFile, sniff
from tests.projects.documents import files

LIMIT = 1024 * 1024


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("方案.pdf", files.PDF, "pdf"),
        ("方案.PDF", files.PDF, "pdf"),
        ("公文.ofd", files.OFD, "ofd"),
        ("方案.docx", files.DOCX, "docx"),
        ("概算.xlsx", files.XLSX, "xlsx"),
        ("方案.doc", files.DOC, "doc"),
        ("概算.xls", files.XLS, "xls"),
        ("图.png", files.PNG, "png"),
        ("照片.jpg", files.JPEG, "jpeg"),
        ("照片.jpeg", files.JPEG, "jpeg"),
        ("附件.zip", files.ZIP, "zip"),
    ],
)
def test_each_accepted_kind_is_recognised_by_content(name, content, kind):
    sniffed = sniff(files.upload(name, content), name=name, max_bytes=LIMIT)
    assert sniffed.kind == kind
    assert sniffed.size == len(content)
    assert sniffed.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("方案.pdf", files.EXE),  # a program renamed
        ("方案.pdf", files.TEXT),  # text renamed
        ("安装.doc", files.MSI),  # an OLE2 file that is neither Word nor Excel
        ("方案.exe", files.EXE),
    ],
)
def test_other_content_is_refused_whatever_the_name(name, content):
    with pytest.raises(RefusedFile, match=r"不接受此类文件|not accepted"):
        sniff(files.upload(name, content), name=name, max_bytes=LIMIT)


@pytest.mark.parametrize(
    ("name", "content"),
    [("方案.pdf", files.PNG), ("方案.docx", files.XLSX), ("公文.zip", files.OFD), ("方案", files.PDF)],
)
def test_a_name_that_disagrees_with_the_content_is_refused(name, content):
    with pytest.raises(RefusedFile):
        sniff(files.upload(name, content), name=name, max_bytes=LIMIT)


def test_a_file_over_the_limit_is_refused_and_an_empty_one_too():
    with pytest.raises(RefusedFile):
        sniff(files.upload("大.pdf", files.PDF + b"x" * LIMIT), name="大.pdf", max_bytes=LIMIT)
    with pytest.raises(RefusedFile):
        sniff(files.upload("空.pdf", b""), name="空.pdf", max_bytes=LIMIT)
