"""Settings of the HTTP bench (bench/http.py): production, plus the floor views, without the limits.

Production settings as deployed (DEBUG off, PostgreSQL or SQLite from DATABASE_URL, the same
middleware, sessions saved on every request), with three changes a load generator needs:

- ROOT_URLCONF adds the floor views (bench/floor.py) beside the product's own routes;
- the API throttles allow a million requests a second. The throttle classes still run (their
  cache round trip is part of what the product costs); the window is one second so that DRF's
  per-user history stays as short as production's 600-a-minute limit keeps it;
- django-axes allows a million failed sign-ins (one client signs in from one address).

bench/http.py sets the rest in the environment (secret, database, Redis cache, plain HTTP on
the loopback); the defaults below let `manage.py` run with these settings too.
"""

import os

for _name, _value in {
    "DRF_THROTTLE_ANON": "1000000/second",
    "DRF_THROTTLE_USER": "1000000/second",
    "DRF_THROTTLE_TOKEN": "1000000/second",
    "AXES_FAILURE_LIMIT": "1000000",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/10",
    "CELERY_RESULT_BACKEND": "redis://127.0.0.1:6379/11",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_COOKIES": "false",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
}.items():
    os.environ.setdefault(_name, _value)

from govproj.settings.production import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"
# collectstatic runs into the bench's own folder (bench/http_bench.py), as a deployment's would.
STATIC_ROOT = BASE_DIR / "bench" / ".data" / "static"  # noqa: F405
