"""Smoke run of the load test (bench/load): 5 raters for 10 s against gunicorn on SQLite.

Slow (the setup alone migrates a database and compresses the static files: about a minute on
two cores), so it runs only when asked: KAOPING_LOAD_SMOKE=1 pytest tests/bench. It needs
locust (pip install -e ".[load]"). `make loadtest` is the real run.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    os.environ.get("KAOPING_LOAD_SMOKE") != "1",
    reason="slow: set KAOPING_LOAD_SMOKE=1 to run the load test's smoke run",
)


def test_five_raters_for_ten_seconds_lose_nothing():
    pytest.importorskip("locust")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAOPING_", "DJANGO_"))}
    env.update(LOAD_SECONDS="10", LOAD_USERS="5", LOAD_SHEETS="2")
    done = subprocess.run(
        [sys.executable, "bench/load/run.py", "--db", "sqlite"],
        cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "verdict: 0 errors, 0 lost, 0 locked" in done.stdout
    assert '"database is locked": 0' in done.stdout
    assert ", lost 0," in done.stdout
