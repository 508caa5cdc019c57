"""Settings for the test suite: the production settings with test-only plumbing."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.setdefault("SMS_BACKEND", "notifications.sms.LocmemSender")
os.environ.setdefault("DJANGO_MANIFEST_STATIC", "0")
os.environ.setdefault("DJANGO_CONN_MAX_AGE", "0")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")

from portal.settings import *  # noqa: E402,F403

# Argon2 stays the production hasher (asserted in tests); a fast one speeds up fixtures.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405

# WhiteNoise serves from the finders in tests; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405

# Parallel runs on one server (several developers, or a developer and CI) each get their own test database.
if os.environ.get("TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DB_NAME"]}  # noqa: F405
