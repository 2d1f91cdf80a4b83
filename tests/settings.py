"""Settings for the test suite: the project's settings with test-only defaults."""

import os
import tempfile

os.environ.setdefault("KAOPING_SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("KAOPING_VAR_DIR", tempfile.mkdtemp(prefix="kaoping-test-var-"))

from kaoping.settings import *  # noqa: F403
from kaoping.settings import STORAGES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
# Live-server threads must not keep connections open, or PostgreSQL refuses to drop the test
# database at the end ("being accessed by other users").
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Existing tests sign in with force_login and no device; the 2FA tests switch this on.
KAOPING_TWO_FACTOR_REQUIRED = False
# Existing tests sign in with force_login as users whose password was never "changed"; the
# password policy tests switch the forced-change redirect on.
KAOPING_ENFORCE_PASSWORD_POLICY = False
# The audit chain's HMAC key for tests; the audit log's SQLite trigger lets the flush between
# transactional (live-server) tests empty the log, and tests/audit switch that off.
KAOPING_AUDIT_KEY = "tests-only-audit-key"
KAOPING_AUDIT_ALLOW_TEST_FLUSH = True
