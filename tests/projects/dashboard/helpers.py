"""A jurisdiction's worth of dashboard material, grown in steps, and a reader of the page's tables."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

from django.utils import timezone

from budgets.om.models import OmApplication
from jurisdictions.models import Role
from projects.deadlines.models import Deadline
from projects.plans.models import AnnualPlan, AnnualPlanEntry
from tests.conftest import advance, make_project

# The phase each new project is put in, in turn (advance() writes the lifecycle's audit events).
PHASES = ("draft", "declared", "in_library", "approved", "in_operation", "in_construction")
# The O&M status of each application, in turn (a draft one never reached finance).
OM = ("submitted", "approved", "reduced", "refused", "draft")
DECIDED = ("approved", "reduced", "refused")


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def grow(tenant, count: int, *, start: int = 0) -> list:
    """`count` more projects of the tenant, each with what every chart counts: phases, two departments,
    plan entries (this year's plan, ceiling 250万元), approvals 10 days after declaration, overdue and
    met deadlines, O&M applications of every status."""
    today = timezone.localdate()
    plan, _ = AnnualPlan.objects.get_or_create(
        jurisdiction=tenant.jurisdiction,
        year=today.year,
        defaults={"created_by": tenant.users[Role.REVIEWER], "ceiling_wan": Decimal("250.00")},
    )
    made = []
    for index in range(start, start + count):
        other = index % 3 == 2
        project = make_project(
            tenant,
            actor=tenant.other_staff if other else tenant.users[Role.DEPARTMENT_STAFF],
            department=tenant.other_department if other else tenant.department,
            title=f"{tenant.jurisdiction.code}项目{index}",
            total_investment_wan=Decimal(100 + 10 * index),
            year=today.year - (index % 2),
        )
        phase = PHASES[index % len(PHASES)]
        if phase != "draft":
            declared_on = today - dt.timedelta(days=20)
            advance(project, "declared", on=declared_on)
            if phase != "declared":
                advance(project, phase, on=today - dt.timedelta(days=10))
        if phase == "in_library":
            AnnualPlanEntry.objects.create(
                plan=plan, project=project, added_by=tenant.users[Role.REVIEWER], added_at=timezone.now()
            )
        due = today - dt.timedelta(days=3) if index % 2 == 0 else today + dt.timedelta(days=3)
        Deadline.objects.create(
            project=project,
            jurisdiction=tenant.jurisdiction,
            rule_id=f"walk.deadline.{index}",
            kind="deadline",
            article="第一条",
            title_zh="期限",
            title_en="deadline",
            due_date=due,
            status="overdue" if index % 4 == 0 else "open",
            responsible_role=Role.DEPARTMENT_STAFF,
        )
        status = OM[index % len(OM)]
        amount = Decimal(10 + index)
        OmApplication.objects.create(
            project=project,
            year=today.year + 1,
            amount_wan=amount,
            term_years=Decimal(1),
            status=status,
            created_by=project.created_by,
            submitted_by=None if status == "draft" else project.created_by,
            submitted_at=None if status == "draft" else timezone.now(),
            decided_by=tenant.users[Role.FINANCE_OFFICER] if status in DECIDED else None,
            decided_at=timezone.now() if status in DECIDED else None,
            granted_wan={"approved": amount, "reduced": amount / 2}.get(status),
        )
        project.refresh_from_db()
        made.append(project)
    return made


def block(page: str, block_id: str) -> str:
    """The page's figure (or section) with that id."""
    start = page.index(f'id="{block_id}"')
    return page[start : page.index("</figure>", start)]


def rows(page: str, block_id: str) -> list[list[str]]:
    """The cells of the block's table body, as text."""
    part = block(page, block_id)
    body = part[part.index("<tbody>") : part.index("</tbody>")]
    found = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        found.append([html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells])
    return found


def text_of(page: str) -> str:
    """What a reader sees in <main>: the tags and the page's JSON left out."""
    main = page[page.index("<main>") : page.index("</main>")]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", main)))
