"""Celery application; eager when no broker is configured (see settings.base).

Production settings unless DJANGO_SETTINGS_MODULE says otherwise (the make targets say local).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govproj.settings.production")

app = Celery("govproj")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
