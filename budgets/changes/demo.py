"""The demo's change (调整): a 包头 project in construction files a small change within 第二十一条's
15% (the unit adjusts and files it with the data bureau, with its filing record uploaded), which waits
for the reviewer's 已知悉 in the inbox."""

from __future__ import annotations

from django.core.files.base import ContentFile

from budgets.changes import services
from budgets.changes.models import ChangeRequest, Disposition
from projects.documents.services import document_upload

# project title → what changes (amounts in 万元)
DEMO_CHANGES = {
    "包头市智慧医疗影像云": {
        "content": "影像存储由本地扩容改为政务云对象存储，相应调减存储设备、调增云资源租用",
        "increases_wan": "30",
        "decreases_wan": "30",
        "new_content_wan": "0",
        "tender_savings_wan": "0",
        "goal_changed": False,
        "reason": "technical_optimisation",
        "explanation": "按政务云集约化要求优化技术方案，总投资不变",
    },
}


def seed_change_demo(project, staff, pdf: bytes) -> None:
    """File the project's demo change when the measure lets the unit file it (idempotent)."""
    terms = DEMO_CHANGES.get(project.title)
    if terms is None or ChangeRequest.objects.filter(project=project).exists():
        return
    route, _estimate, _candidate = services.route_for(project, services._terms(terms))
    if route.disposition != Disposition.FILING:
        return
    draft = services.change_request_create(actor=staff, project_id=project.pk, **terms)
    services.change_request_submit(actor=staff, project_id=project.pk, request_id=draft.pk)
    document_upload(
        actor=staff,
        project_id=project.pk,
        code="change_filing",
        file=ContentFile(pdf, name="change_filing.pdf"),
    )
