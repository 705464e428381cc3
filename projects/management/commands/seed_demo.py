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
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from govproj.errors import ApplicationError
from jurisdictions.models import Department, Jurisdiction, Membership, Role
from jurisdictions.selectors import rule_pack
from projects import services
from projects.models import TRANSITION_ROLES, Project

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo_projects.yaml"
PASSWORD = "demo-pass-2026"
ROLE_LOGINS = {
    Role.DEPARTMENT_STAFF: "staff",
    Role.REVIEWER: "reviewer",
    Role.FINANCE_OFFICER: "finance",
    Role.JURISDICTION_ADMIN: "admin",
    Role.EXPERT: "expert",
    Role.SECURITY_REVIEWER: "security",
    Role.AUDITOR: "auditor",
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
]


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
                users = self._users(jurisdiction, departments, logins)
            for project in spec.get("projects", []):
                self._project(jurisdiction, departments, users, project)
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

    def _users(self, jurisdiction, departments, logins) -> dict[str, object]:
        User = get_user_model()
        first_department = next(iter(departments.values()))
        users = {}
        for role, suffix in ROLE_LOGINS.items():
            username = f"{jurisdiction.code}_{suffix}"
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(PASSWORD)
            user.is_staff = role == Role.JURISDICTION_ADMIN
            user.save()
            if role == Role.JURISDICTION_ADMIN:
                user.user_permissions.set(
                    Permission.objects.filter(
                        content_type__app_label="jurisdictions", codename__in=ADMIN_PERMISSIONS
                    )
                )
            Membership.objects.update_or_create(
                user=user,
                jurisdiction=jurisdiction,
                role=role,
                defaults={"department": first_department if role == Role.DEPARTMENT_STAFF else None},
            )
            users[role] = user
            logins.append((username, f"{jurisdiction.name_zh} · {Role(role).label}"))
        return users

    def _project(self, jurisdiction, departments, users, row) -> None:
        project = Project.objects.filter(jurisdiction=jurisdiction, title=row["title"]).first()
        if project is not None:
            return
        staff, reviewer = users[Role.DEPARTMENT_STAFF], users[Role.REVIEWER]
        department = departments[row.get("department") or next(iter(departments))]
        pack = rule_pack(jurisdiction)
        facts = {
            "documents": [d.code for d in pack.spec.documents],
            "negative_list_answers": {
                item.code: False
                for rule in pack.spec.rules
                if rule.kind == "negative_list"
                for item in rule.items
            },
            "approved_estimate_wan": str(row["investment"]),
            **(row.get("facts") or {}),
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
            facts=facts,
        )
        for step in row.get("steps", []):
            actor = staff if Role.DEPARTMENT_STAFF in TRANSITION_ROLES[step] else reviewer
            try:
                project = services.transition_project(actor=actor, project_id=project.pk, name=step)
            except ApplicationError as error:
                self.stderr.write(f"{project.code} {row['title']}: stopped before {step}: {error.message}")
                break
