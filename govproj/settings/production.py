"""Production: PostgreSQL, Redis, gunicorn, SMTP, HTTPS behind a proxy.

The default for `manage.py`, the WSGI app and Celery (only the make targets choose `local`).
Refuses to start without a strong secret; `manage.py check --deploy` prints no warning.
"""

from django.core.exceptions import ImproperlyConfigured

from govproj.settings.base import *  # noqa: F403
from govproj.settings.base import STORAGES, env, sqlite_for_concurrent_writers

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
# Django's own test for a weak key (security.W009): short, few distinct characters, or generated
# by startproject. A key published in the repository or in .env.example is never accepted.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set in production to a random value of at least 50 characters "
        f"(it is {'not set' if not SECRET_KEY else f'{len(SECRET_KEY)} characters long or too simple'}). "
        'Make one with: python -c "import secrets; print(secrets.token_urlsafe(50))". '
        "For the embedded default on a development machine use DJANGO_SETTINGS_MODULE=govproj.settings.local "
        "(as `make run` does)."
    )
DEBUG = False
DATABASES = {"default": sqlite_for_concurrent_writers(env.db("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_URL = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_URL)

# HTTPS only. TLS ends at the reverse proxy, which must set X-Forwarded-Proto (and drop any the
# client sent); Django then redirects plain HTTP to HTTPS and marks its cookies Secure.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)  # one year
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Project documents on S3-compatible object storage (django-storages) when a bucket is named;
# local files under DJANGO_MEDIA_ROOT otherwise. Objects are private: downloads go through the
# permission-checked view, never a bucket URL. Credentials may also come from the environment
# boto3 reads itself (an instance role), so the keys are optional here.
S3_BUCKET = env("DJANGO_S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": env("DJANGO_S3_ENDPOINT_URL", default="") or None,
                "region_name": env("DJANGO_S3_REGION", default="") or None,
                "access_key": env("DJANGO_S3_ACCESS_KEY_ID", default="") or None,
                "secret_key": env("DJANGO_S3_SECRET_ACCESS_KEY", default="") or None,
                "location": env("DJANGO_S3_PREFIX", default="govproj"),
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
