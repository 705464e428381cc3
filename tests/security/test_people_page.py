"""The people page: a jurisdiction admin creates accounts (user and role together), grants and
revokes roles with a reason and a confirmation, never their own, and only among their own people."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from jurisdictions.models import Membership, Role
from security.models import Kind, SecurityEvent
from tests.factories import UserFactory

STRONG = "Qiang-mima-2026!"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(alpha, beta):
    return login(alpha.users[Role.JURISDICTION_ADMIN])


def _account(tenant, **overrides):
    data = {
        "account-username": "zhangwei",
        "account-name": "张伟",
        "account-email": "",
        "account-password": STRONG,
        "account-password_again": STRONG,
        "account-jurisdiction": tenant.jurisdiction.pk,
        "account-role": Role.DEPARTMENT_STAFF,
        "account-department": tenant.department.pk,
    }
    data.update(overrides)
    return data


def test_the_page_lists_own_people_by_name_in_chinese(admin, alpha, beta):
    alpha.users[Role.REVIEWER].first_name = "李审核"
    alpha.users[Role.REVIEWER].save()
    page = admin.get("/people/").content.decode()
    assert "人员与角色" in page and "李审核" in page and "审核人员" in page
    assert "beta_reviewer" not in page


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.JURISDICTION_ADMIN])
def test_only_jurisdiction_admins_open_it(alpha, role):
    assert login(alpha.users[role]).get("/people/").status_code == 403


def test_an_admin_creates_an_account_with_its_role(admin, alpha):
    response = admin.post("/people/", _account(alpha))
    assert response.status_code == 302, response.content.decode()[:3000]
    user = get_user_model().objects.get(username="zhangwei")
    assert user.get_full_name() == "张伟" and user.check_password(STRONG)
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.DEPARTMENT_STAFF and membership.department == alpha.department
    kinds = list(
        SecurityEvent.objects.filter(subject_user=user).order_by("seq").values_list("kind", flat=True)
    )
    assert kinds == [Kind.USER_CREATED, Kind.MEMBERSHIP_GRANTED]


@pytest.mark.parametrize(
    ("overrides", "says"),
    [
        ({"account-password": "123", "account-password_again": "123"}, "密码"),
        ({"account-password_again": "different-2026!"}, "两次"),
        ({"account-department": ""}, "部门"),
    ],
)
def test_bad_accounts_are_refused_with_the_reason_and_nothing_is_created(admin, alpha, overrides, says):
    response = admin.post("/people/", _account(alpha, **overrides))
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not get_user_model().objects.filter(username="zhangwei").exists()


def test_a_reviewer_may_act_for_a_body_of_the_jurisdiction(admin, alpha):
    """A review step's or an opinion's body (蒙东云计算中心, 区公安分局) is a department and a role."""
    response = admin.post("/people/", _account(alpha, **{"account-role": Role.REVIEWER}))
    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(user__username="zhangwei")
    assert (membership.role, membership.department) == (Role.REVIEWER, alpha.department)


def test_no_account_in_another_jurisdiction(admin, alpha, beta):
    response = admin.post(
        "/people/",
        _account(alpha, **{"account-jurisdiction": beta.jurisdiction.pk, "account-department": ""}),
    )
    assert response.status_code == 400
    assert not get_user_model().objects.filter(username="zhangwei").exists()


def test_grant_to_own_people_only_never_to_oneself(admin, alpha, beta):
    me = alpha.users[Role.JURISDICTION_ADMIN]
    grant = {"grant-jurisdiction": alpha.jurisdiction.pk, "grant-role": Role.AUDITOR, "grant-department": ""}
    assert admin.post("/people/", {**grant, "grant-user": me.pk}).status_code == 400
    stranger = UserFactory(username="stranger")
    assert admin.post("/people/", {**grant, "grant-user": stranger.pk}).status_code == 400
    assert admin.post("/people/", {**grant, "grant-user": beta.users[Role.REVIEWER].pk}).status_code == 400
    ok = admin.post("/people/", {**grant, "grant-user": alpha.users[Role.REVIEWER].pk})
    assert ok.status_code == 302
    assert Membership.objects.filter(user=alpha.users[Role.REVIEWER], role=Role.AUDITOR).exists()
    assert not Membership.objects.filter(user__in=[me, stranger], role=Role.AUDITOR).exists()


def test_revoking_asks_for_confirmation_and_a_reason(admin, alpha):
    membership = Membership.objects.get(user=alpha.users[Role.REVIEWER])
    url = f"/people/roles/{membership.pk}/revoke/"
    confirm = admin.get(url).content.decode()
    assert "撤销角色" in confirm and "审核人员" in confirm
    assert admin.post(url, {"reason": ""}).status_code == 400
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert admin.post(url, {"reason": "调岗"}).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = SecurityEvent.objects.get(kind=Kind.MEMBERSHIP_REVOKED)
    assert event.reason == "调岗" and event.data["old"]["role"] == Role.REVIEWER


def test_own_roles_and_other_tenants_roles_cannot_be_revoked(admin, alpha, beta):
    mine = Membership.objects.get(user=alpha.users[Role.JURISDICTION_ADMIN])
    assert admin.post(f"/people/roles/{mine.pk}/revoke/", {"reason": "x"}).status_code == 400
    assert Membership.objects.filter(pk=mine.pk).exists()
    theirs = Membership.objects.get(user=beta.users[Role.REVIEWER])
    assert admin.post(f"/people/roles/{theirs.pk}/revoke/", {"reason": "x"}).status_code == 404


def test_an_admin_unlocks_a_locked_out_colleague(admin, alpha, settings):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/accounts/login/", {"username": staff.username, "password": "wrong-password"})
    locked = Client().post("/accounts/login/", {"username": staff.username, "password": "pw-for-tests"})
    assert locked.status_code == 429
    page = admin.get("/people/").content.decode()
    assert "有登录失败记录" in page
    assert admin.post(f"/people/{staff.pk}/unlock/").status_code == 302
    assert (
        Client()
        .post("/accounts/login/", {"username": staff.username, "password": "pw-for-tests"})
        .status_code
        == 302
    )
    event = SecurityEvent.objects.get(kind=Kind.UNLOCK)
    assert event.actor == alpha.users[Role.JURISDICTION_ADMIN] and event.subject_user == staff


def test_no_unlocking_of_other_tenants_people(admin, beta):
    assert admin.post(f"/people/{beta.users[Role.REVIEWER].pk}/unlock/").status_code == 404
    assert admin.get(f"/people/{beta.users[Role.REVIEWER].pk}/unlock/").status_code == 405
