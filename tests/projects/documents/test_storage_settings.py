"""Production keeps documents on S3-compatible object storage exactly when a bucket is named."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHOW = (
    "import django; django.setup(); from django.core.files.storage import storages; s = storages['default'];"
    "print(type(s).__name__, getattr(s, 'bucket_name', ''), getattr(s, 'default_acl', ''))"
)


def default_storage_in_production(**extra) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="govproj.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL="sqlite:////tmp/govproj-storage-settings.sqlite3",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/9",
        **extra,
    )
    done = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "FileSystemStorage"),
        (
            {"DJANGO_S3_BUCKET": "govproj-documents", "DJANGO_S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
            "S3Storage govproj-documents private",
        ),
    ],
    ids=["local files", "object storage"],
)
def test_production_chooses_the_document_storage_by_settings(extra, expected):
    assert default_storage_in_production(**extra).strip() == expected.strip()
