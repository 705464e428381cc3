"""Demo data for `make run`: departments, a login per role per jurisdiction, projects in several phases.

Idempotent: users and departments are updated in place; demo projects are created once (by
title) and moved through the real services, so every phase they reach passed the real rules.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from acceptance.completion.demo import RECORD_STEPS as ACCEPTANCE_STEPS
from acceptance.completion.demo import acceptance_step
from acceptance.evaluation.demo import record_evaluation_demo
from approvals.opinions.demo import answer_all_opinions
from approvals.reviews.demo import pass_review_steps
from approvals.stages.demo import approve_through_stages
from budgets.changes.demo import seed_change_demo
from budgets.om.demo import seed_om_application
from govproj.errors import ApplicationError
from jurisdictions import services as jurisdiction_services
from jurisdictions.models import Department, Jurisdiction, Membership, Role
from jurisdictions.rules.facts import FACT_SOURCES, FactSource
from jurisdictions.selectors import rule_pack
from projects import services
from projects.construction.demo import record_construction_demo
from projects.deadlines.scan import deadline_scan
from projects.documents.services import document_upload
from projects.models import TRANSITION_ROLES, Project
from projects.plans.demo import put_in_published_plan
from projects.screening.models import ScreeningAnswer
from projects.screening.selectors import screening_items
from projects.screening.services import screening_answer, screening_review
from projects.selectors import project_verdicts, staged_approval

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo_projects.yaml"
# A one-page PDF stands in for every demo document (typed by content like any upload).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
# What the demo reviewer says when a step needs a reason (a return or a rejection always does).
STEP_COMMENTS = {
    "return_for_revision": "可行性研究报告中的投资估算缺少明细，请补充后重新报送。",
    "reject": "不符合本办法规定的申报条件。",
}
PASSWORD = "demo-pass-2026"
# The people of the bodies a pack's review section names, in the order of their department codes,
# and the second expert.
BODY_NAMES = ["孙丽", "周强", "吴敏", "郑涛", "冯雪", "何军", "许静", "高飞"]
EXPERT2_NAME = "黄磊"
REVIEWER2_NAME = "钱进"  # a second reviewer (`<code>_reviewer2`), to whom 李娜 can delegate (代理审批)
ROLE_LOGINS = {
    Role.DEPARTMENT_STAFF: "staff",
    Role.REVIEWER: "reviewer",
    Role.FINANCE_OFFICER: "finance",
    Role.JURISDICTION_ADMIN: "admin",
    Role.EXPERT: "expert",
    Role.SECURITY_REVIEWER: "security",
    Role.AUDITOR: "auditor",
}
# Pages name people, not logins: each demo person has a name (the same in every jurisdiction,
# with the jurisdiction's name before it on the login list).
DEMO_NAMES = {
    Role.DEPARTMENT_STAFF: "张伟",
    Role.REVIEWER: "李娜",
    Role.FINANCE_OFFICER: "王芳",
    Role.JURISDICTION_ADMIN: "刘洋",
    Role.EXPERT: "陈静",
    Role.SECURITY_REVIEWER: "杨磊",
    Role.AUDITOR: "赵敏",
}
# What a jurisdiction admin may do in /admin/ (rows are scoped to their jurisdiction there).
ADMIN_PERMISSIONS = [
    *(
        f"{verb}_{model}"
        for verb in ("add", "change", "delete", "view")
        for model in ("department", "membership", "calendarday")
    ),
    "change_jurisdiction",
    "view_jurisdiction",
    "view_rulepack",
    "view_calendaryear",
    "view_project",
    "change_project",  # words only: money, tenancy and facts are read-only in the admin
    "view_auditevent",
    "view_securityevent",
]
ADMIN_PERMISSION_APPS = ["jurisdictions", "projects", "security"]


class Command(BaseCommand):
    help = "Create demo departments, users (one per role per jurisdiction) and projects in several phases."

    def handle(self, *args, **options):
        demo = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
        User = get_user_model()
        superuser, _ = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        superuser.set_password(PASSWORD)
        superuser.save()
        logins = [("admin", "superuser")]
        for code, spec in demo["jurisdictions"].items():
            jurisdiction = Jurisdiction.objects.filter(code=code).first()
            if jurisdiction is None:
                raise CommandError(
                    f"Jurisdiction {code} is not loaded: run `manage.py load_rulepacks` first."
                )
            with transaction.atomic():
                departments = self._departments(jurisdiction, spec["departments"])
                users = self._users(jurisdiction, departments, logins, superuser)
                users.update(self._bodies(jurisdiction, logins, superuser))
            for project in spec.get("projects", []):
                self._project(jurisdiction, departments, users, project)
        # Each project's records stored its deadlines after commit; today's scan reminds of them, as
        # beat would each morning (no beat runs in the embedded default).
        scanned = deadline_scan()
        self.stdout.write(
            f"Deadlines scanned: {scanned['reminders']} reminders, {scanned['overdue']} overdue."
        )
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {PASSWORD}):"))
        for username, role in logins:
            self.stdout.write(f"  {username:<28} {role}")

    def _departments(self, jurisdiction, rows) -> dict[str, Department]:
        departments = {}
        for row in rows:
            departments[row["code"]], _ = Department.objects.update_or_create(
                jurisdiction=jurisdiction,
                code=row["code"],
                defaults={"name_zh": row["zh"], "name_en": row["en"]},
            )
        return departments

    def _users(self, jurisdiction, departments, logins, superuser) -> dict[str, object]:
        User = get_user_model()
        first_department = next(iter(departments.values()))
        users = {}
        for role, suffix in ROLE_LOGINS.items():
            username = f"{jurisdiction.code}_{suffix}"
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(PASSWORD)
            user.first_name = DEMO_NAMES[role]
            user.is_staff = role == Role.JURISDICTION_ADMIN
            user.save()
            if role == Role.JURISDICTION_ADMIN:
                user.user_permissions.set(
                    Permission.objects.filter(
                        content_type__app_label__in=ADMIN_PERMISSION_APPS, codename__in=ADMIN_PERMISSIONS
                    )
                )
            membership = Membership.objects.filter(user=user, jurisdiction=jurisdiction, role=role).first()
            membership = membership or Membership(user=user, jurisdiction=jurisdiction, role=role)
            membership.department = first_department if role == Role.DEPARTMENT_STAFF else None
            # Through the service, so the demo's role grants are in the security log like any other.
            jurisdiction_services.membership_save(actor=superuser, membership=membership)
            users[role] = user
            logins.append((username, f"{jurisdiction.name_zh} · {Role(role).label} · {DEMO_NAMES[role]}"))
        return users

    def _bodies(self, jurisdiction, logins, superuser) -> dict[str, object]:
        """The bodies the pack's review section names (蒙东云计算中心, 区公安分局 …): a department and a
        login each (`<code>_<department>`), so every review step and opinion has someone to take it;
        and a second expert (`<code>_expert2`), since a review by experts is rarely by one.
        """
        User = get_user_model()
        review = rule_pack(jurisdiction).spec.review
        bodies = {}
        for step in review.steps:
            bodies.setdefault(step.taker.department, step.taker)
        for item in review.opinions.items if review.opinions else ():
            bodies.setdefault(item.giver.department, item.giver)
        bodies.pop(None, None)
        people = [
            (f"{jurisdiction.code}_expert2", Role.EXPERT, None, EXPERT2_NAME),
            (f"{jurisdiction.code}_reviewer2", Role.REVIEWER, None, REVIEWER2_NAME),
        ]
        for index, (code, taker) in enumerate(sorted(bodies.items())):
            department, _ = Department.objects.update_or_create(
                jurisdiction=jurisdiction,
                code=code,
                defaults={"name_zh": taker.name.zh, "name_en": taker.name.en},
            )
            people.append((f"{jurisdiction.code}_{code}", taker.role, department, BODY_NAMES[index]))
        users = {}
        for username, role, department, name in people:
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(PASSWORD)
            user.first_name = name
            user.save()
            membership = Membership.objects.filter(user=user, jurisdiction=jurisdiction, role=role).first()
            membership = membership or Membership(user=user, jurisdiction=jurisdiction, role=role)
            membership.department = department
            jurisdiction_services.membership_save(actor=superuser, membership=membership)
            users[username] = user
            where = f"{department.name_zh} · " if department else ""
            logins.append((username, f"{jurisdiction.name_zh} · {where}{Role(role).label} · {name}"))
        return users

    def _project(self, jurisdiction, departments, users, row) -> None:
        """File one demo project the way a department does, then take its steps through the services.

        Declared facts go on the project form; documents are uploaded as files (a one-page PDF per
        document the project's rules ask for) and the negative-list screening is answered "does not
        apply" — records, not typed facts. Decided and derived facts whose records do not exist yet
        (reviews, approvals, acceptance: later phases' records) are stored as imported facts.
        """
        project = Project.objects.filter(jurisdiction=jurisdiction, title=row["title"]).first()
        if project is not None:
            return
        staff, reviewer = users[Role.DEPARTMENT_STAFF], users[Role.REVIEWER]
        department = departments[row.get("department") or next(iter(departments))]
        facts = {"approved_estimate_wan": str(row["investment"]), **(row.get("facts") or {})}
        declared = {
            name: value for name, value in facts.items() if FACT_SOURCES.get(name) is FactSource.DECLARED
        }
        project = services.create_project(
            actor=staff,
            department=department,
            title=row["title"],
            category=row["category"],
            total_investment_wan=Decimal(str(row["investment"])),
            funding_source=row.get("funding_source", "fiscal"),
            year=row.get("year", dt.date.today().year),
            description=row.get("description", ""),
            facts=declared,
        )
        if len(declared) < len(facts):
            Project.objects.filter(pk=project.pk).update(facts=facts)  # imported: no record holds them yet
            project.refresh_from_db()
        steps = row.get("steps", [])
        # `documents_for`: steps still to come whose documents go with the declaration (e.g. approve)
        self._file_records(project, staff, [*steps, *row.get("documents_for", [])])
        for step in steps:
            actor = staff if Role.DEPARTMENT_STAFF in TRANSITION_ROLES[step] else reviewer
            try:
                pass_review_steps(project, step)  # the pack's review steps before it, by their takers
                if step == "approve":
                    answer_all_opinions(project, reviewer)  # the department opinions (会签)
                    if staged_approval(project):  # approved stage by stage (approvals.stages)
                        project = approve_through_stages(project, staff, reviewer)
                        continue
                if step == "enter_library":
                    self._review_screening(project, reviewer)
                if step == "start_construction":  # supervision and procurement first (projects.construction)
                    record_construction_demo(project, staff)
                    project.refresh_from_db()
                if step == "plan":  # projects enter the plan when their year's plan is published
                    put_in_published_plan([project], reviewer)
                    project.refresh_from_db()
                    continue
                if step in ACCEPTANCE_STEPS:  # 试运行, 申请验收, 验收: the acceptance records
                    project = acceptance_step(project, step, staff, reviewer)
                    continue
                project = services.transition_project(
                    actor=actor, project_id=project.pk, name=step, comment=STEP_COMMENTS.get(step, "")
                )
            except ApplicationError as error:
                self.stderr.write(f"{project.code} {row['title']}: stopped before {step}: {error.message}")
                break
        if project.phase == "in_operation":  # budgets.om: next year's O&M funds, awaiting finance
            seed_om_application(project, staff)
        record_evaluation_demo(project, staff)  # in operation: the self-evaluation (acceptance.evaluation)
        if project.phase == "in_construction":  # budgets.changes: a filed change (调整备案) awaiting 已知悉
            seed_change_demo(project, staff, DEMO_PDF)

    def _file_records(self, project, staff, steps) -> None:
        """Answer the screening and upload every document the rules of the project's steps ask for."""
        items = screening_items(project)
        if items:
            screening_answer(
                actor=staff,
                project_id=project.pk,
                answers={item.code: {"applies": False, "explanation": ""} for item in items},
            )
        if not steps:
            return
        steps = {*steps, "enter_library"}  # a declaration carries what library entry asks for
        _pack, verdicts = project_verdicts(project)
        needed = sorted(
            {
                code
                for verdict in verdicts
                if verdict.kind == "required_documents" and set(verdict.blocks) & set(steps)
                for code in (document["code"] for document in verdict.data.get("missing", []))
            }
        )
        for code in needed:
            document_upload(
                actor=staff, project_id=project.pk, code=code, file=ContentFile(DEMO_PDF, name=f"{code}.pdf")
            )

    def _review_screening(self, project, reviewer) -> None:
        answered = ScreeningAnswer.objects.filter(project=project).values_list("item_code", flat=True)
        if answered:
            screening_review(
                actor=reviewer,
                project_id=project.pk,
                decisions={code: {"decision": "confirm", "comment": ""} for code in answered},
            )
