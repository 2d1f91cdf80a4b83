"""Kaoping settings, read from the environment.

Every variable is optional in debug mode; a bad value stops the start with a message naming it.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("KAOPING_VAR_DIR", PROJECT_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


# SQLite has one writer at a time; these keep many raters saving at once from turning into
# "database is locked" errors (proved under load by bench/load, docs/load-test.md):
# - WAL: readers never wait for the writer nor the writer for readers (the mode is stored in
#   the file; setting it again on each connection is a no-op);
# - IMMEDIATE: every transaction takes the write lock when it begins. In SQLite's default
#   (DEFERRED) a transaction that reads then writes asks for it at its first write, and if
#   another wrote meanwhile it fails at once with "database is locked", busy timeout or not;
# - timeout: a writer waits up to 20 s for the lock (the default is 5 s) instead of failing.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL;",
    "timeout": 20,
}


def database_config(url: str | None) -> dict:
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "kaoping.sqlite3",
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    if not url.startswith(("sqlite:", "postgres:", "postgresql:")):
        raise ImproperlyConfigured(
            f"KAOPING_DATABASE_URL must start with sqlite:// or postgres://; got {url!r}"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except Exception as exc:
        raise ImproperlyConfigured(f"KAOPING_DATABASE_URL cannot be read: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


DEBUG = env_bool("KAOPING_DEBUG", False)

SECRET_KEY = os.environ.get("KAOPING_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "KAOPING_SECRET_KEY is required when KAOPING_DEBUG is off "
            "(set KAOPING_DEBUG=1 for a development server)"
        )
    SECRET_KEY = "kaoping-development-key-not-for-production"

ALLOWED_HOSTS = env_list("KAOPING_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("KAOPING_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "kaoping.core",
    "kaoping.accounts",
    "kaoping.orgs",
    "kaoping.campaigns",
    "kaoping.rectification",
    "kaoping.duties",
    "kaoping.reports",
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
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kaoping.urls"
WSGI_APPLICATION = "kaoping.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaoping.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {"default": database_config(os.environ.get("KAOPING_DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout after repeated failures; the security issue tunes this further.
AXES_FAILURE_LIMIT = env_int("KAOPING_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# How many reverse proxies stand in front of the app; see kaoping.accounts.client_address.
KAOPING_PROXY_COUNT = env_int("KAOPING_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "kaoping.accounts.client_address.client_address"
AXES_ENABLED = env_bool("KAOPING_AXES_ENABLED", True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Django's own zh_Hans formats carry an invalid input directive; ours replace them.
FORMAT_MODULE_PATH = ["kaoping.formats"]

STATIC_URL = "static/"
# The project's own assets (layout CSS, vendored htmx) live beside the apps', not in one of them.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("KAOPING_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("KAOPING_SESSION_AGE", 8 * 3600)
SESSION_COOKIE_SECURE = env_bool("KAOPING_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# Mail for reminders (kaoping remind); no host means mail is not configured.
EMAIL_HOST = os.environ.get("KAOPING_EMAIL_HOST", "")
EMAIL_PORT = env_int("KAOPING_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("KAOPING_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KAOPING_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KAOPING_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("KAOPING_EMAIL_FROM", "kaoping@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KAOPING_LOG_LEVEL", "WARNING")},
}
