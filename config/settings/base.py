"""Settings shared by every environment; the environment supplies the rest.

Read from the environment: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS,
CSRF_TRUSTED_ORIGINS, REDIS_URL, TASKS_BACKEND.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The project's own apps; each may add navigation (navigation.py) and demo data (demo.py).
PROJECT_APPS = ["officers", "lessons", "assessments", "mentoring", "ranking", "publications", "notices"]

INSTALLED_APPS = [
    "officers",
    "lessons",
    "assessments",
    "mentoring",
    "ranking",
    "publications",
    "notices",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "officers.apps.OfficerUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "officers.middleware.SessionIdleRefreshMiddleware",
    "officers.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every answer to a signed-in officer is `Cache-Control: private, no-store`.
    "officers.middleware.PrivateNoStoreMiddleware",
    # Django's, answering a page's script with JSON 401 instead of a login redirect.
    "officers.middleware.LoginRequiredMiddleware",
    "officers.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An officer's own write may finish a to-do item: the header's count is recomputed.
    "notices.middleware.TodoCountRefreshMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns lockouts into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "officers.context_processors.site_chrome",
            ],
        },
    },
]

# Database: SQLite by default, tuned so that many officers saving at once wait
# for the write lock instead of failing with "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
    ),
}
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with writers queued on a lock file (config/db/sqlite3).
    DATABASES["default"]["ENGINE"] = "config.db.sqlite3"
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DATABASE_IS_SQLITE = DATABASES["default"]["ENGINE"] == "config.db.sqlite3"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "officers.Officer"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id at OWASP's recommended cost (config/hashers.py); older PBKDF2 hashes still
# verify and are upgraded at the next login.
PASSWORD_HASHERS = [
    "config.hashers.BureauArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 minutes without a request, and with the browser. The
# expiry is refreshed at most once a minute (officers.middleware), not rewritten
# on every request: on exam day that write doubled the cost of each answer save.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: five wrong passwords (at log-in or as the old password on the password
# page) lock that police number FROM THAT ADDRESS for 30 minutes. Not by address alone:
# a police station reaches the server through one NAT address, and one officer's typos
# would lock the station out. Not by number alone: anyone could then lock the
# administrators and trainers out with five bad passwords. The pair stops guessing
# while the real officer, on their own computer, still logs in (README, "Log-in").
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address: REMOTE_ADDR, or behind nginx (TRUSTED_PROXY_COUNT = 1 in
# production) the address nginx appended to X-Forwarded-For, which a client cannot forge.
AXES_CLIENT_IP_CALLABLE = "officers.security.client_ip"
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Confidential files (documents, case files, bulletins, evidence): outside
# MEDIA_ROOT, served only by views that check who asks (officers.private_files).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
# Production: the nginx `internal` location that serves PRIVATE_MEDIA_ROOT after
# the view's check (X-Accel-Redirect); empty: the app streams the file itself.
PRIVATE_FILES_ACCEL_PREFIX = os.environ.get("PRIVATE_FILES_ACCEL_PREFIX", "")
STORAGES = {
    "default": {"BACKEND": "officers.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work (PDFs, imports, rankings): Django's task framework, stored in
# the database; `manage.py db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    # Sessions read from Redis, written through to the database (kept across a Redis restart).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Wagtail lifts this for its own preview frames.
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles, images, fonts and requests
# only from this server; nothing from the internet can run here even if a text
# slipped through escaping. Inline scripts run only with the request's nonce
# (`{{ request.csp_nonce }}`); inline style ATTRIBUTES stay allowed (progress
# bars, Wagtail's admin), <style> elements need the nonce too. Wagtail's own inline
# scripts (date pickers, inline panels) are replaced by officers/templates/wagtailadmin/
# and officers/static/officers/csp_admin.js. tests/config/test_csp_browser.py opens a
# page of every app and the Wagtail admin's editors and fails on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "media-src": [SELF, "blob:"],
        "worker-src": [SELF, "blob:"],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# A form body (files aside) may be 10 MB: an over-long text then reaches its form, which
# answers with the field's limit in Chinese and keeps what was typed (a shift log's
# narrative fields take 2,000 characters each). Beyond it, templates/400.html explains.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Wagtail
WAGTAIL_SITE_NAME = "永警大讲堂"
WAGTAILADMIN_LOGIN_URL = "login"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "mp4", "webm", "mp3", "m4a", "ogg"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 500 * 1024 * 1024
# Documents live under PRIVATE_MEDIA_ROOT (officers.storage) and reach a browser only
# through Wagtail's serve view, after its login and privacy checks; the view hands the
# file over with officers.sendfile_backend (X-Accel-Redirect in production).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
SENDFILE_BACKEND = "officers.sendfile_backend"
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_REQUIRED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no call home: the intranet has no internet
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILEMBEDS_FINDERS = []

BUREAU_NAME = os.environ.get("BUREAU_NAME", "永康市公安局")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- mentoring ---
# How many recruits a mentor takes at once unless their MentorCapacity says otherwise.
MENTORING_MENTOR_LIMIT = int(os.environ.get("MENTORING_MENTOR_LIMIT", "2"))
MENTORING_PLANNED_MONTHS = 3
# Alerts: an open mentorship without a log for this many days.
MENTORING_SILENT_DAYS = 7

# --- publications (挂网公示) ---
# The objection window (公示期): this many working days after publishing (Monday–Friday,
# less PUBLICATION_HOLIDAYS, plus weekend days worked in PUBLICATION_WORKDAYS; ISO dates).
PUBLICATION_OBJECTION_WORKING_DAYS = int(os.environ.get("PUBLICATION_OBJECTION_WORKING_DAYS", "5"))
PUBLICATION_HOLIDAYS: list[str] = env_list("PUBLICATION_HOLIDAYS")
PUBLICATION_WORKDAYS: list[str] = env_list("PUBLICATION_WORKDAYS")
# Document numbers of bulletins: 永公法〔2026〕12号.
PUBLICATION_DOCUMENT_PREFIX = os.environ.get("PUBLICATION_DOCUMENT_PREFIX", "永公法")
# A bulletin download waits this long for the task worker before saying it is being prepared.
PUBLICATION_BULLETIN_WAIT_SECONDS = 3

# Notices by e-mail (消息): off unless the bureau has an intranet mail server. Mail goes
# only to that server (EMAIL_HOST), and only to NOTICES_EMAIL_DOMAINS when it is set;
# nothing is ever sent to the internet.
NOTICES_EMAIL_ENABLED = env_bool("NOTICES_EMAIL_ENABLED", False)
NOTICES_EMAIL_DOMAINS = env_list("NOTICES_EMAIL_DOMAINS")
NOTICES_DIGEST_TIME = os.environ.get("NOTICES_DIGEST_TIME", "07:30")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "yongjing@localhost")
