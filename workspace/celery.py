"""The Celery app, as in Celery's Django recipe: configuration comes from CELERY_* settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workspace.settings")

app = Celery("workspace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
