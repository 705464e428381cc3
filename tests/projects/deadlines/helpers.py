"""A stored deadline on a tenant's project, for the walkers."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jurisdictions.models import Role
from projects.deadlines.models import Deadline


def deadline_for_walk(tenant, project) -> Deadline:
    row, _created = Deadline.objects.get_or_create(
        project=project,
        rule_id=f"{tenant.jurisdiction.code}.construction.report",
        defaults={
            "jurisdiction": tenant.jurisdiction,
            "kind": "deadline",
            "article": "第三十条",
            "title_zh": "年度报告",
            "title_en": "Yearly report",
            "due_date": timezone.localdate() + dt.timedelta(days=10),
            "responsible_role": Role.DEPARTMENT_STAFF,
            "responsible_department": project.department,
        },
    )
    return row
