"""Django settings of the journeymap web app.

Development by default (SQLite under ``var/``, console e-mail). Production when
``JOURNEYMAP_ENV=production`` or ``DJANGO_DEBUG`` is off: then SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL come from the environment and the app refuses to start with DEBUG on or the
development key.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

WEB_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("JOURNEYMAP_HOME", Path.cwd()))
DEV_SECRET_KEY = "journeymap-development-key-not-for-production"


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PRODUCTION = os.environ.get("JOURNEYMAP_ENV", "development") == "production"
DEBUG = _env_flag("DJANGO_DEBUG", not PRODUCTION)
PRODUCTION = PRODUCTION or not DEBUG
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()
] or (["127.0.0.1", "localhost", "testserver"] if not PRODUCTION else [])

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("production mode refuses to start with DEBUG on")
    if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "production mode needs SECRET_KEY in the environment (at least 32 characters,"
            " not the development key)"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("production mode needs ALLOWED_HOSTS in the environment")
    if not os.environ.get("DATABASE_URL"):
        raise ImproperlyConfigured("production mode needs DATABASE_URL in the environment")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "journeymap.web.accounts",
    "journeymap.web.workspaces",
    "journeymap.web.maps",
    "journeymap.web.sharing",
    "journeymap.web.comments",
    "journeymap.web.personas",
    "journeymap.web.api",
    "django_tasks",
    "django_tasks_db",
    "journeymap.web.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "journeymap.web.urls"
WSGI_APPLICATION = "journeymap.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

_default_db = f"sqlite:///{PROJECT_DIR / 'var' / 'journeymap.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db), conn_max_age=60 if PRODUCTION else 0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The web server and the export worker share the file: WAL lets readers go on while one
    # writes, IMMEDIATE takes the write lock when an edit's transaction starts (SQLite has no
    # SELECT ... FOR UPDATE, so this is what serialises two edits of one map), and a write
    # waits up to 5 s for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 5,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspaces:list"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("pl", _("Polish")), ("ru", _("Russian"))]
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "var" / "static"
STATICFILES_DIRS = [WEB_DIR / "static"]
# Development serves the files straight from the apps (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "journeymap <noreply@localhost>")

# Uploads (map imports) are small documents; bigger bodies are refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
JOURNEYMAP_MAX_IMPORT_BYTES = 2 * 1024 * 1024

# Background jobs (django-tasks): stored in the database, run by `django-admin db_worker`
# (`make run` starts one next to the server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# PDF/PNG of maps with at least this many items are exported in the background.
JOURNEYMAP_BACKGROUND_EXPORT_ITEMS = int(os.environ.get("JOURNEYMAP_BACKGROUND_EXPORT_ITEMS", 100))
# A background export's file is kept this long, and refused above this size.
JOURNEYMAP_EXPORT_KEEP_HOURS = int(os.environ.get("JOURNEYMAP_EXPORT_KEEP_HOURS", 24))
JOURNEYMAP_EXPORT_MAX_BYTES = int(os.environ.get("JOURNEYMAP_EXPORT_MAX_BYTES", 50 * 1024 * 1024))
# A background export running longer than this counts as lost (its worker was killed): failed.
JOURNEYMAP_EXPORT_RUNNING_MINUTES = int(os.environ.get("JOURNEYMAP_EXPORT_RUNNING_MINUTES", 5))
# A background export still waiting for a worker after this long gets a hint on its page that
# the export worker may not be running (the page keeps polling).
JOURNEYMAP_EXPORT_PENDING_MINUTES = int(os.environ.get("JOURNEYMAP_EXPORT_PENDING_MINUTES", 1))

if PRODUCTION:
    SESSION_COOKIE_SECURE = _env_flag("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = _env_flag("SECURE_COOKIES", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    CSRF_TRUSTED_ORIGINS = [
        o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
    ]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
