"""Passwords: Django's four validators, 12 characters or more, not the person's own name; demo ones pass.

Before issue 6 only the length (8) and common-password validators ran.
"""

from __future__ import annotations

import pytest
import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from projects.management.commands.seed_demo import DEMO_FILE, PASSWORD, ROLE_LOGINS
from tests.factories import UserFactory

User = get_user_model()


def test_all_four_of_djangos_validators_run_with_a_length_of_at_least_ten():
    names = {type(validator).__name__ for validator in get_default_password_validators()}
    assert names == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }
    [length] = [v for v in get_default_password_validators() if isinstance(v, MinimumLengthValidator)]
    assert length.min_length >= 10


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Tr0ub4dor", "太短"),  # 9 characters
        ("password1234", "太常见"),
        ("20262026202620", "只包含数字"),
        ("ouyangxiaoming", "太相似"),  # the username itself
        ("OuyangXiaoming2026", "太相似"),  # the name with a year
    ],
)
def test_weak_passwords_and_the_persons_own_name_are_refused(password, why):
    person = User(
        username="ouyangxiaoming", first_name="Xiaoming", last_name="Ouyang", email="oyxm@example.gov.cn"
    )
    with pytest.raises(ValidationError) as refused:
        validate_password(password, person)
    assert why in " ".join(refused.value.messages)


def test_a_long_unrelated_passphrase_passes():
    person = User(username="ouyangxiaoming", first_name="Xiaoming", last_name="Ouyang")
    validate_password("river-lantern-47-orchard", person)


def demo_logins() -> list[str]:
    codes = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["jurisdictions"]
    return ["admin"] + [f"{code}_{suffix}" for code in codes for suffix in ROLE_LOGINS.values()]


@pytest.mark.parametrize("username", demo_logins())
def test_each_demo_password_passes_the_validators(username):
    validate_password(PASSWORD, User(username=username))


def test_the_readme_gives_the_demo_password():
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert f"Every password is `{PASSWORD}`" in readme


def test_the_admin_refuses_a_weak_password_for_a_new_account(db):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "lishimin",
            "password1": "lishimin2026",
            "password2": "lishimin2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200  # the form again, with the refusal
    assert not User.objects.filter(username="lishimin").exists()
