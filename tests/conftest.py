"""Shared fixtures: two test jurisdictions (alpha, beta) on a small pack, a user per role, projects."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from jurisdictions.models import Department, Jurisdiction, Role
from jurisdictions.rules.facts import FACT_SOURCES, FactSource
from jurisdictions.rules.schema import load_pack_text
from jurisdictions.services import publish_rule_pack
from projects import services
from projects.models import Project
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory

TESTLAND = Path(__file__).parent / "fixtures" / "testland.yaml"


def testland_text(code: str) -> str:
    return TESTLAND.read_text(encoding="utf-8").replace("__CODE__", code)


testland_text.__test__ = False  # a helper, not a test


def publish_testland(code: str):
    spec, content = load_pack_text(testland_text(code), source=f"testland-{code}")
    return publish_rule_pack(spec, content, source=f"testland-{code}").pack


@dataclass
class Tenant:
    jurisdiction: Jurisdiction
    department: Department
    other_department: Department
    users: dict[str, object] = field(default_factory=dict)
    other_staff: object = None


def make_tenant(code: str) -> Tenant:
    pack = publish_testland(code)
    jurisdiction = pack.jurisdiction
    department = DepartmentFactory(jurisdiction=jurisdiction)
    other_department = DepartmentFactory(jurisdiction=jurisdiction)
    tenant = Tenant(jurisdiction, department, other_department)
    for role in Role.values:
        user = UserFactory(username=f"{code}_{role}")
        MembershipFactory(
            user=user,
            jurisdiction=jurisdiction,
            role=role,
            department=department if role == Role.DEPARTMENT_STAFF else None,
        )
        tenant.users[role] = user
    tenant.other_staff = UserFactory(username=f"{code}_other_staff")
    MembershipFactory(
        user=tenant.other_staff,
        jurisdiction=jurisdiction,
        role=Role.DEPARTMENT_STAFF,
        department=other_department,
    )
    return tenant


@pytest.fixture(autouse=True)
def _chinese_first():
    """Each test starts in the default language (a request may leave another active in the thread)."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters live in the cache: each test starts with none (they would leak between tests)."""
    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def alpha(db) -> Tenant:
    return make_tenant("alpha")


@pytest.fixture
def beta(db) -> Tenant:
    return make_tenant("beta")


def make_project(tenant: Tenant, **overrides):
    values = {
        "actor": tenant.users[Role.DEPARTMENT_STAFF],
        "department": tenant.department,
        "title": "政务服务平台升级",
        "category": "application",
        "total_investment_wan": Decimal("150.00"),
        "funding_source": "fiscal",
        "year": 2026,
        "facts": {"documents": ["proposal", "fsr"], "negative_list_answers": {"duplicate": False}},
    }
    values.update(overrides)
    facts = values.pop("facts") or {}
    declared = {name: value for name, value in facts.items() if FACT_SOURCES.get(name) is FactSource.DECLARED}
    with transaction.atomic():  # one write, as the service's own (SQLite writers queue per transaction)
        project = services.create_project(**values, facts=declared)
        if len(declared) < len(facts):
            # Decided and derived facts come from records (documents, screening, decisions); the
            # services refuse them on a project. A fixture puts them where a record not modelled here would.
            Project.objects.filter(pk=project.pk).update(facts=facts)
            project.refresh_from_db()
    return project


def admin_site_client(tenant) -> Client:
    """A browser signed in to /admin/ as the tenant's jurisdiction admin, with the demo's admin rights."""
    from django.contrib.auth.models import Permission

    from projects.management.commands.seed_demo import ADMIN_PERMISSION_APPS, ADMIN_PERMISSIONS

    user = tenant.users[Role.JURISDICTION_ADMIN]
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=ADMIN_PERMISSION_APPS, codename__in=ADMIN_PERMISSIONS
        )
    )
    client = Client()
    client.force_login(user)
    return client


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# ---------------------------------------------------------------------------- the real measures
# Issue 10's records act on the five measures' own rules: a tenant on a real pack, and a project put
# in a later phase of its life as if it had gone there (the approval records are issue 9's own tests).

PACKS = Path(settings.BASE_DIR) / "jurisdictions" / "packs"

# The master lifecycle in order, each transition with the phase it reaches.
LIFECYCLE = (
    ("declare", "declared"),
    ("enter_library", "in_library"),
    ("plan", "planned"),
    ("submit_for_review", "in_review"),
    ("approve", "approved"),
    ("start_construction", "in_construction"),
    ("start_trial_operation", "trial_operation"),
    ("apply_for_acceptance", "in_acceptance"),
    ("accept", "in_operation"),
)


def make_pack_tenant(code: str) -> Tenant:
    """A tenant on the real pack `jurisdictions/packs/<code>.yaml` (baotou, hongshan, laizhou, nanchong,
    ordos), with one user per role named "<code>_<role>" (staff of `department`) and `other_staff`."""
    path = PACKS / f"{code}.yaml"
    spec, content = load_pack_text(path.read_text(encoding="utf-8"), source=str(path))
    jurisdiction = publish_rule_pack(spec, content, source=str(path)).pack.jurisdiction
    department = DepartmentFactory(jurisdiction=jurisdiction)
    other_department = DepartmentFactory(jurisdiction=jurisdiction)
    tenant = Tenant(jurisdiction, department, other_department)
    for role in Role.values:
        user = UserFactory(username=f"{code}_{role}", first_name=role[:4])
        MembershipFactory(
            user=user,
            jurisdiction=jurisdiction,
            role=role,
            department=department if role == Role.DEPARTMENT_STAFF else None,
        )
        tenant.users[role] = user
    tenant.other_staff = UserFactory(username=f"{code}_other_staff")
    MembershipFactory(
        user=tenant.other_staff,
        jurisdiction=jurisdiction,
        role=Role.DEPARTMENT_STAFF,
        department=other_department,
    )
    return tenant


@pytest.fixture
def pack_tenant(db):
    """make_pack_tenant as a fixture: pack_tenant("laizhou")."""
    return make_pack_tenant


def advance(project: Project, phase: str, *, on=None, actor=None) -> Project:
    """Put `project` in `phase` as if each lifecycle transition up to it had happened (on `on`, a date or
    datetime; default now), writing their audit events so the dated facts follow. Pins the pack in force.

    For tests of the records that come after: how a project gets approved is tested in tests/approvals.
    """
    import datetime as dt

    from django.utils import timezone

    from jurisdictions.selectors import rule_pack
    from projects.models import AuditEvent

    if isinstance(on, dt.date) and not isinstance(on, dt.datetime):
        on = timezone.make_aware(dt.datetime.combine(on, dt.time(10, 0)))
    at = on or timezone.now()
    targets = [reached for _name, reached in LIFECYCLE]
    if phase not in targets:
        raise ValueError(f"advance() goes along the master lifecycle only, not to {phase!r}")
    done = targets.index(project.phase) + 1 if project.phase in targets else 0
    actor = actor or project.created_by
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        pack = locked.rule_pack or rule_pack(locked.jurisdiction, as_of=timezone.localtime(at).date())
        before = locked.phase
        for name, reached in LIFECYCLE[done : targets.index(phase) + 1]:
            # the phase field is protected (django-fsm): set it in the database; the event says it
            Project.objects.filter(pk=locked.pk).update(phase=reached, rule_pack=pack)
            locked.refresh_from_db()
            AuditEvent.objects.record(locked, actor, name, from_phase=before, at=at, rule_pack=pack)
            before = reached
    project.refresh_from_db()
    return project
