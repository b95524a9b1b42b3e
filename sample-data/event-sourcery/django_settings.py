"""Minimal Django settings for writing ``event-sourcery-django.sqlite`` (see generate.py).

Installs Event Sourcery's Django app (``event_sourcery_django``) next to
``django.contrib.auth`` and ``django.contrib.contenttypes``, as a small real
project would. So the auth/contenttypes tables and ``django_migrations`` also
end up in the file. The database path comes from ``ESY_DJANGO_DB``, which
``generate.py`` sets to a temporary file before it calls ``django.setup()``.
``USE_TZ = True`` is Django's default for new projects.
"""

import os

SECRET_KEY = "eventscope-sample-data-not-secret"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "event_sourcery_django",
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("ESY_DJANGO_DB", "event-sourcery-django.sqlite"),
    }
}
