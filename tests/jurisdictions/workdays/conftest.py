"""Fixtures of the calendar-upkeep tests: a superuser, commits as they happen, a signed-in browser."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw-for-tests")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the block's on-commit callbacks at its end, as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
