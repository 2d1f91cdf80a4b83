"""Settings fail loudly on bad environment values, naming the variable."""

import os
import subprocess
import sys

import pytest


def start_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KAOPING_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import kaoping.settings"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_start_in_debug_without_secret_key():
    result = start_settings(KAOPING_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_settings_require_secret_key_outside_debug():
    result = start_settings(KAOPING_DEBUG="0")
    assert result.returncode != 0
    assert "KAOPING_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KAOPING_DEBUG", "maybe"),
        ("KAOPING_DATABASE_URL", "mysql://db/kaoping"),
        ("KAOPING_SESSION_AGE", "eight hours"),
    ],
)
def test_settings_bad_value_names_the_variable(variable, value):
    env = {"KAOPING_DEBUG": "1", variable: value}
    result = start_settings(**env)
    assert result.returncode != 0
    assert variable in result.stderr


def test_settings_read_postgres_url():
    code = (
        "from kaoping.settings import DATABASES;"
        "d = DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['PORT'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAOPING_")}
    env.update(KAOPING_DEBUG="1", KAOPING_DATABASE_URL="postgres://u:p@db.example:5433/kp")
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "kp", "db.example", "5433"]
