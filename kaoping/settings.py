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
            # Kept open between requests, as a KAOPING_DATABASE_URL connection is: opening one
            # (Django's SQL functions, the PRAGMAs, SQLite reading the schema) cost an entry
            # save about 6 ms of CPU, a third of it (docs/load-test.md).
            "CONN_MAX_AGE": 60,
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "kaoping.core",
    "kaoping.accounts",
    "kaoping.security",
    "kaoping.orgs",
    "kaoping.campaigns",
    "kaoping.rectification",
    "kaoping.duties",
    "kaoping.reports",
    "kaoping.audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kaoping.security.middleware.SessionPolicyMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kaoping.accounts.middleware.PasswordPolicyMiddleware",
    "kaoping.security.twofactor.middleware.TwoFactorRequiredMiddleware",
    "kaoping.audit.middleware.AuditDownloadsMiddleware",
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
    # Length, classes, history and the common list, by the profile in force.
    {"NAME": "kaoping.accounts.validators.PolicyPasswordValidator"},
]
# Password policy profile (kaoping.accounts.validators): "dengbao" (等保2.0: 8+ characters of 3
# classes, no reuse of the last 5, 90-day rotation) or "asvs" (12+ characters, common/breached
# list, no rotation). The security administrator's saved policy overrides it.
KAOPING_PASSWORD_PROFILE = os.environ.get("KAOPING_PASSWORD_PROFILE", "dengbao").strip().lower()
if KAOPING_PASSWORD_PROFILE not in ("dengbao", "asvs"):
    raise ImproperlyConfigured(
        f"KAOPING_PASSWORD_PROFILE must be dengbao or asvs; got {KAOPING_PASSWORD_PROFILE!r}"
    )
# Forced change of initial/reset passwords and 90-day expiry (PasswordPolicyMiddleware).
KAOPING_ENFORCE_PASSWORD_POLICY = env_bool("KAOPING_ENFORCE_PASSWORD_POLICY", True)

# Lockout after repeated failures; the security issue tunes this further.
AXES_FAILURE_LIMIT = env_int("KAOPING_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# axes keeps the failed form's fields; "password" is masked by default, these too (a backup code
# typed beside a wrong password at re-authentication would otherwise be stored still valid).
AXES_SENSITIVE_PARAMETERS = ["code", "old_password", "new_password1", "new_password2"]
# How many reverse proxies stand in front of the app; see kaoping.accounts.client_address.
KAOPING_PROXY_COUNT = env_int("KAOPING_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "kaoping.accounts.client_address.client_address"
AXES_ENABLED = env_bool("KAOPING_AXES_ENABLED", True)

# Audit log (kaoping.audit): the HMAC key lives outside the database (this variable, or else the
# file var/audit.key created on first use); rows are kept at least 180 days (a smaller value stops
# the start).
KAOPING_AUDIT_KEY = os.environ.get("KAOPING_AUDIT_KEY", "")
KAOPING_AUDIT_RETENTION_DAYS = env_int("KAOPING_AUDIT_RETENTION_DAYS", 180)

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
# Uploads (kaoping.core.uploads): no URL serves MEDIA_ROOT, only permission-checked views;
# every file is checked by content and capped at this many megabytes.
KAOPING_UPLOAD_MAX_MB = env_int("KAOPING_UPLOAD_MAX_MB", 20)
# Phone numbers encrypted at rest (kaoping.core.crypto): 32 bytes in urlsafe base64; without
# it a key file var/field.key is created on first use (mode 0600).
KAOPING_FIELD_KEY = os.environ.get("KAOPING_FIELD_KEY", "")
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
# Idle logout and absolute session lifetime (kaoping.security.middleware); the security
# administrator's policy, when set, overrides the idle minutes.
KAOPING_SESSION_IDLE_MINUTES = env_int("KAOPING_SESSION_IDLE_MINUTES", 15)
KAOPING_SESSION_ABSOLUTE_HOURS = env_int("KAOPING_SESSION_ABSOLUTE_HOURS", 8)
# Production profile (docs/security.md): KAOPING_HTTPS=1 when users reach the site over TLS
# turns on secure cookies, HSTS and the redirect to https; each can still be set on its own.
HTTPS = env_bool("KAOPING_HTTPS", env_bool("KAOPING_SECURE_COOKIES", False))
SESSION_COOKIE_SECURE = env_bool("KAOPING_SECURE_COOKIES", HTTPS)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Pages send the token in a header from the template (hx-headers), never read from the cookie.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("KAOPING_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KAOPING_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("KAOPING_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("KAOPING_SSL_REDIRECT", HTTPS)
# A TLS-terminating proxy tells the scheme in X-Forwarded-Proto; trust it only behind one.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_int("KAOPING_PROXY_COUNT", 0) > 0 else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Preloading is for public sites and cannot be undone quickly; Kaoping runs on intranet host
# names, so preload stays off by default and Django's reminder (W021) is silenced for that.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content security policy (django-csp): scripts and styles only from our own static files, no
# inline code; data: images for the QR code of the second factor. ECharts sets element.style
# through the CSSOM, which style-src does not govern.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Second factor (kaoping.security.twofactor): required for administrators and organizers (and
# for everyone when the security policy says so) unless this is off; enrolled users are always
# asked for their code.
KAOPING_TWO_FACTOR_REQUIRED = env_bool("KAOPING_TWO_FACTOR_REQUIRED", True)
# Everyone, not only administrators and organizers (the security policy page overrides it).
KAOPING_TWO_FACTOR_FOR_EVERYONE = env_bool("KAOPING_TWO_FACTOR_FOR_EVERYONE", False)
OTP_TOTP_ISSUER = "Kaoping"

# Mail for reminders (kaoping remind); no host means mail is not configured.
EMAIL_HOST = os.environ.get("KAOPING_EMAIL_HOST", "")
EMAIL_PORT = env_int("KAOPING_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("KAOPING_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KAOPING_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KAOPING_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("KAOPING_EMAIL_FROM", "kaoping@localhost")

# Export jobs (kaoping.reports.domain.jobs): ranking and matrix of campaigns above this many
# organizations (and every sheet export) run in a background thread with a progress bar; the
# files go to VAR_DIR/exports (outside the web root) and are removed after a day.
KAOPING_EXPORT_JOB_ROWS = env_int("KAOPING_EXPORT_JOB_ROWS", 2000)
KAOPING_EXPORT_DIR = VAR_DIR / "exports"
KAOPING_EXPORT_JOBS_INLINE = False  # True runs a job within the request (unit tests only)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Phone numbers, ID numbers and password/token/secret values never reach a log.
    "filters": {"mask_personal": {"()": "kaoping.core.log_filters.MaskPersonalData"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("KAOPING_LOG_LEVEL", "WARNING")},
}
