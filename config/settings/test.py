"""Test settings: fast hashing, tasks run in-process, no collectstatic needed."""

import os
import tempfile

from .base import *  # noqa: F401,F403

SECRET_KEY = os.environ.get("SECRET_KEY") or "test-only-insecure-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "officers.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private-media"  # noqa: F405
PRIVATE_FILES_ACCEL_PREFIX = ""

# A file, not :memory:, so that the concurrency tests exercise real SQLite locking.
if DATABASE_IS_SQLITE:  # noqa: F405
    # One file per test process, so that parallel runs never share a database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"yongjing-test-{os.getpid()}.sqlite3")
    }

# Serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Bulletins are pending in tests unless a test runs the on-commit render: do not wait for them.
PUBLICATION_BULLETIN_WAIT_SECONDS = 0
