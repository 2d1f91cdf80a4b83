"""Hardening (issue 9, part 6): the production profile passes `check --deploy`, the headers a
browser needs (CSP, frames, sniffing), generic error pages, and logs without personal data."""

import io
import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from kaoping.core.log_filters import MaskPersonalData, mask

PROJECT = Path(__file__).resolve().parents[1]
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def production_env(**overrides):
    """The environment of a production server: no debug, a long random key, HTTPS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAOPING_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="kaoping.settings",
        KAOPING_SECRET_KEY=secrets.token_urlsafe(50),
        KAOPING_ALLOWED_HOSTS="kaoping.example.org",
        KAOPING_HTTPS="1",
        KAOPING_VAR_DIR=os.environ["KAOPING_VAR_DIR"],
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def check_deploy(**overrides):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT, env=production_env(**overrides), capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def production_settings(*names, **overrides):
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=production_env(**overrides),
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


# --- the production profile ---------------------------------------------------------------


def test_check_deploy_passes_in_the_production_profile():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_with_debug_on():
    result = check_deploy(KAOPING_DEBUG="1")
    assert result.returncode != 0
    assert "security.W018" in result.stderr


def test_check_deploy_fails_without_a_secret_key():
    result = check_deploy(KAOPING_SECRET_KEY=None)
    assert result.returncode != 0
    assert "KAOPING_SECRET_KEY is required" in result.stderr


def test_check_deploy_fails_with_a_short_secret_key():
    result = check_deploy(KAOPING_SECRET_KEY="short-key")
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_check_deploy_fails_without_https():
    result = check_deploy(KAOPING_HTTPS=None)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def test_https_turns_on_hsts_redirect_and_secure_cookies():
    values = production_settings(
        "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
        "SECURE_PROXY_SSL_HEADER", "DEBUG",
    )  # fmt: skip
    assert values == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SECURE_PROXY_SSL_HEADER": None,
        "DEBUG": False,
    }


def test_the_forwarded_scheme_is_trusted_only_behind_a_proxy():
    values = production_settings(
        "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", KAOPING_PROXY_COUNT="1",
        KAOPING_SSL_REDIRECT="0", KAOPING_HSTS_SECONDS="600",
    )  # fmt: skip
    assert values == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_SSL_REDIRECT": False,
    }


# --- headers --------------------------------------------------------------------------------


def test_pages_carry_the_content_security_policy_and_frame_headers(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    directives = sorted(part.strip() for part in response["Content-Security-Policy"].split(";"))
    assert directives == sorted(part.strip() for part in CSP.split(";"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_layout_keeps_htmx_from_injecting_styles(client, db):
    html = client.get("/login/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in html
    assert "<style" not in html
    assert "style=" not in html


def test_templates_hold_no_inline_script_style_or_handler():
    offenders = []
    markers = ("<script>", "<style", " style=", "hx-on", "javascript:", " onclick=", " onload=",
               " onchange=", " onsubmit=", " oninput=")  # fmt: skip
    for template in (PROJECT / "kaoping").rglob("templates/**/*.html"):
        if "templates/admin" in template.as_posix():
            continue
        text = template.read_text()
        offenders += [f"{template.name}: {m}" for m in markers if m in text]
    assert offenders == []


# --- generic error pages --------------------------------------------------------------------


@pytest.fixture
def english(client):
    """Pages in English (the source strings): the language cookie LocaleMiddleware reads."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.mark.urls("tests.urls_hardening")
def test_an_unexpected_error_gives_the_generic_page_without_the_database(english):
    # No db fixture: the 500 page must render without touching the database.
    response = Client(raise_request_exception=False).get("/boom/", HTTP_COOKIE="django_language=en")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Server error</h1>" in html
    for leak in ("Traceback", "ValueError", "13812345678", "s3cr3t", "urls_hardening"):
        assert leak not in html


def test_an_unknown_page_gives_the_generic_404(client, charlie, english):
    client.force_login(charlie)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert "URLconf" not in html  # Django's debug page lists the URL patterns


def test_a_refused_page_gives_the_generic_403(client, charlie, english):
    client.force_login(charlie)
    response = client.get("/duties/cycles/new/")
    assert response.status_code == 403
    assert "<h1>Access denied</h1>" in response.content.decode()


def test_a_form_without_its_token_gives_the_generic_csrf_page(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>The form has expired</h1>" in html
    assert "CSRF" not in html  # Django's own page names the reason for developers


def test_a_foreign_host_gives_the_generic_400(client, english):
    response = client.get("/login/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>Bad request</h1>" in html
    assert "evil.example.com" not in html


# --- logs -----------------------------------------------------------------------------------


def test_mask_hides_mobiles_id_numbers_and_secrets():
    assert mask("call 13812345678 now") == "call 138****5678 now"
    assert mask("id 41010219900307123X.") == "id 410102********123X."
    assert mask("password=Hunter2!&next=/") == "password=******&next=/"
    assert mask('{"token": "abc.def", "n": 1}') == '{"token": ******, "n": 1}'
    assert mask("KAOPING_SECRET_KEY=xyz secret: qq") == "KAOPING_SECRET_KEY=****** secret: ******"
    # Numbers of other lengths are not personal data as far as the filter can tell.
    assert mask("order 123456789012 total 1381234567") == "order 123456789012 total 1381234567"


def test_the_filter_masks_arguments_and_tracebacks():
    try:
        raise ValueError("owner 13900001111")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "user %s sent password=%s",
                                   ("13812345678", "pw1"), sys.exc_info())  # fmt: skip
    assert MaskPersonalData().filter(record) is True
    text = logging.Formatter().format(record)
    assert "user 138****5678 sent password=******" in text
    assert "139****1111" in text
    assert "13812345678" not in text and "pw1" not in text and "13900001111" not in text


def root_console_handler():
    handlers = [h for h in logging.getLogger().handlers
                if any(isinstance(f, MaskPersonalData) for f in h.filters)]  # fmt: skip
    assert len(handlers) == 1, "the root handler carries the masking filter (settings.LOGGING)"
    return handlers[0]


@pytest.mark.urls("tests.urls_hardening")
def test_a_server_error_logs_neither_the_post_body_nor_personal_data(db):
    handler = root_console_handler()
    stream = io.StringIO()
    old_stream = handler.setStream(stream)
    try:
        Client(raise_request_exception=False).post(
            "/boom/", {"password": "Hunter2-secret", "phone": "13712345678", "note": "body-text"}
        )
    finally:
        handler.setStream(old_stream)
    logged = stream.getvalue()
    assert "Internal Server Error: /boom/" in logged
    assert "ValueError: boom for 138****5678 with token=******" in logged
    for leak in ("Hunter2-secret", "13712345678", "body-text", "13812345678", "s3cr3t-token"):
        assert leak not in logged
