"""A request on file for the page walker (tests/projects/test_page_permissions.py)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from approvals.opinions.models import OpinionRequest
from jurisdictions.models import Role


def opinion_for_walk(project) -> OpinionRequest:
    """An answered request with a file, on `project` (whatever its pack: the walker's world has none)."""
    found = OpinionRequest.objects.filter(project=project, code="walk").first()
    if found:
        return found
    request = OpinionRequest(
        project=project,
        code="walk",
        name={"zh": "密码应用意见", "en": "Cryptography opinion"},
        giver_name={"zh": "保密局", "en": "Secrecy bureau"},
        role=Role.SECURITY_REVIEWER,
        requested_by=project.created_by,
        requested_at=timezone.now(),
        answer="agree",
        comment="同意",
        answered_by=project.created_by,
        answered_at=timezone.now(),
        file_name="意见.pdf",
        file_kind="pdf",
    )
    request.file.save("意见.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    request.save()
    return request
