"""Production: everything secret or site-specific comes from the environment.

Required: SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS. DATABASE_URL is PostgreSQL
when several app servers share the database; one app server may keep the
embedded SQLite file (e.g. sqlite:////var/lib/yongjing/db.sqlite3). Production
refuses to start without DATABASE_URL, so that a forgotten variable never opens
an empty database in the code's folder.
Optional: CSRF_TRUSTED_ORIGINS, REDIS_URL (shared cache for several app servers),
SECURE_SSL_REDIRECT (default on), SECURE_HSTS_SECONDS.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of 50+ characters.")

if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL must be set: postgres://… (several app servers), or sqlite:////var/lib/yongjing/db.sqlite3 "
        "(one app server)."
    )
if DATABASE_IS_SQLITE:  # noqa: F405
    # An acknowledged answer must survive a power cut, not only a crash of the
    # process: every commit reaches the disk (WAL's NORMAL would keep it in the OS cache).
    options = DATABASES["default"]["OPTIONS"]  # noqa: F405
    options["init_command"] = options["init_command"].replace("synchronous=NORMAL", "synchronous=FULL")

# Persistent database connections: a fresh PostgreSQL connection per request
# cost more than the answer save itself. Checked before reuse, so a restarted
# database costs one failed check, not a failed request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "officers.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Behind nginx, which terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# One nginx in front: the client's address is the last one it appended to X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
