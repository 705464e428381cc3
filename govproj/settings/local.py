"""The embedded default used by `make run`: SQLite, eager Celery, console e-mail."""

from govproj.settings.base import *  # noqa: F403
from govproj.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-secret")
