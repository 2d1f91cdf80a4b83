"""The load test, start to end, against one database (`make loadtest` runs it for both).

    python bench/load/run.py --db sqlite
    bash scripts/with-postgres.sh python bench/load/run.py --db postgres

Prepares a fresh database (SQLite in a temporary directory, WAL; or the PostgreSQL that
KAOPING_DATABASE_URL names), migrates, collects static files, creates the load data
(bench/load/data.py), serves the app with gunicorn on a free port of 127.0.0.1 (production
settings: KAOPING_DEBUG=0, whitenoise), runs the locust scenario headless for LOAD_SECONDS
(default 120) with LOAD_USERS raters (default 50), stops the server, counts the entries in the
database against the saves the clients saw succeed, and prints the report.

Latency is measured twice: by the client (locust, on loopback, so it includes waiting for a
free worker and the load generator's own share of the two cores) and by the server (gunicorn's
access log, %(D)s: from reading the request to writing the response, per worker).

Exit status 1 when a request failed, an entry was lost or SQLite said "database is locked".
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
ENTRY_SAVE_AIM_MS = 50
TYPES = (  # request type by method and path, first match wins (the log has no route names)
    ("login page", re.compile(r"^GET /login/$")),
    ("login", re.compile(r"^POST /login/$")),
    ("worklist", re.compile(r"^GET /campaigns/worklist/$")),
    ("entry_save", re.compile(r"^POST /campaigns/assignments/\d+/sheet/entry/$")),
    ("sheet_submit", re.compile(r"^POST /campaigns/assignments/\d+/sheet/submit/$")),
    ("sheet", re.compile(r"^GET /campaigns/assignments/\d+/sheet/$")),
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list, env: dict, log: Path) -> None:
    with log.open("a") as out:
        done = subprocess.run(args, env=env, cwd=PROJECT, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode:
        sys.exit(f"{' '.join(map(str, args))} failed; see {log}")


def _wait_up(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped while starting")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {url} in {seconds} s")


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


LOG_LINE = re.compile(r"^\[([^\]]+)\] (\S+) (\S+) (\d+) (\d+)$")


def server_times(access_log: Path, since: float | None) -> dict[str, list[float]]:
    """Milliseconds the server spent per request type, from gunicorn's access log; logins
    always, other requests from `since` (the steady state: every rater logged in) on."""
    times: dict[str, list[float]] = {}
    for line in access_log.read_text(encoding="utf-8").splitlines():
        found = LOG_LINE.match(line)
        if not found:
            continue
        stamp, method, path, _status, micros = found.groups()
        at = datetime.datetime.strptime(stamp, "%d/%b/%Y:%H:%M:%S %z").timestamp()
        if path == "/healthz":
            continue  # the runner's own "is it up?"
        kind = next((n for n, pattern in TYPES if pattern.match(f"{method} {path}")), "other")
        if not kind.startswith("login") and (since is None or at < int(since)):
            continue
        times.setdefault(kind, []).append(int(micros) / 1000)
    return times


def report(db: str, seconds: int, users: int, client: dict, server: dict, counted: dict,
           locked: int) -> tuple[str, bool]:  # fmt: skip
    """The printed report and whether every correctness aim held."""
    names = sorted(set(client["latencies"]) | set(server), key=lambda n: (n == "other", n))
    lines = [
        f"== load test: {db}, {users} raters, {seconds} s ==",
        f"(logins: the whole run; other requests: once all raters had logged in, "
        f"{client['steady_for']:.0f} s; errors: the whole run)",
        f"{'request':<14}{'count':>7}{'errors':>7}   client ms p50/p95/p99   server ms p50/p95/p99",
    ]
    total = errors = 0
    for name in names:
        mine = client["latencies" if name.startswith("login") else "steady"].get(name, [])
        theirs = server.get(name, [])
        fails = client["failures"].get(name, 0)
        total, errors = total + len(mine), errors + fails
        c = "/".join(f"{percentile(mine, s):.0f}" for s in (0.5, 0.95, 0.99)) if mine else "-"
        v = "/".join(f"{percentile(theirs, s):.0f}" for s in (0.5, 0.95, 0.99)) if theirs else "-"
        lines.append(f"{name:<14}{len(mine):>7}{fails:>7}   {c:<22}  {v}")
    save_p95 = percentile(server.get("entry_save", []), 0.95)
    saves = len(client["steady"].get("entry_save", []))
    lines += [
        f"requests {total}, errors {errors}, "
        f"{saves / max(client['steady_for'], 1):.1f} entry saves/s in the steady state",
        f"sheets submitted: {len(client['submitted'])} seen by clients, "
        f"{counted['sheets_submitted_in_db']} in the database",
        f"entries: {counted['entries_seen_saved']} seen saved by clients, "
        f"{counted['entries_in_db']} in the database, lost {counted['lost']}, "
        f"cut off by the stop {counted['cut_off']} (stored, answer not read), "
        f"extra {counted['extra']}",
        f'"database is locked": {locked}',
        f"entry save server p95 {save_p95:.0f} ms (aim <= {ENTRY_SAVE_AIM_MS} ms): "
        + ("met" if save_p95 <= ENTRY_SAVE_AIM_MS else "NOT met"),
    ]
    lines += [f"  failure: {example}" for example in client["failure_examples"][:5]]
    lines += [f"  lost: {key}" for key in counted["lost_examples"]]
    ok = errors == 0 and counted["lost"] == 0 and locked == 0
    lines.append("verdict: " + ("0 errors, 0 lost, 0 locked" if ok else "FAILED"))
    return "\n".join(lines), ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", 120)))
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", 50)))
    parser.add_argument("--per-rater", type=int, default=int(os.environ.get("LOAD_SHEETS", 4)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("LOAD_WORKERS", 4)))
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    if args.db == "postgres" and not os.environ.get("KAOPING_DATABASE_URL", "").startswith("post"):
        sys.exit("--db postgres runs under scripts/with-postgres.sh (KAOPING_DATABASE_URL)")
    work = Path(tempfile.mkdtemp(prefix=f"kaoping-load-{args.db}-"))
    env = {**os.environ, "KAOPING_VAR_DIR": str(work), "KAOPING_DEBUG": "0",
           "KAOPING_SECRET_KEY": secrets.token_urlsafe(40),
           "KAOPING_ALLOWED_HOSTS": "127.0.0.1", "PYTHONUNBUFFERED": "1"}  # fmt: skip
    if args.db == "sqlite":
        env.pop("KAOPING_DATABASE_URL", None)  # the default: VAR_DIR/kaoping.sqlite3, WAL
    setup_log = work / "setup.log"
    py = str(BIN / "python")
    _run([py, "manage.py", "migrate", "-v", "0"], env, setup_log)
    _run([py, "manage.py", "collectstatic", "--noinput", "-v", "0"], env, setup_log)
    plan = work / "plan.json"
    _run([py, str(HERE / "data.py"), "prepare", "--raters", str(args.users),
          "--per-rater", str(args.per_rater), "--plan", str(plan)], env, setup_log)  # fmt: skip
    port = _free_port()
    server_log = work / "server.log"
    with server_log.open("w") as out:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "kaoping.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--config", str(HERE / "gunicorn_conf.py"),
             "--access-logfile", str(work / "access.log"),
             "--access-logformat", "%(t)s %(m)s %(U)s %(s)s %(D)s"],
            env=env, cwd=PROJECT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_up(f"http://127.0.0.1:{port}/healthz", server)
        out_file = work / "client.json"
        _run([str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
              "--users", str(args.users), "--spawn-rate", str(max(1, args.users // 5)),
              "--run-time", f"{args.seconds}s", "--host", f"http://127.0.0.1:{port}",
              "--only-summary", "--exit-code-on-error", "0"],
             {**env, "LOAD_USERS": str(args.users), "LOAD_PLAN": str(plan),
              "LOAD_OUT": str(out_file)},
             work / "locust.log")  # fmt: skip
        stopped = time.time()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    client = json.loads(out_file.read_text(encoding="utf-8"))
    since = client["steady_since"]
    client["steady_for"] = (stopped - since) if since else 0
    counted = subprocess.run(
        [py, str(HERE / "data.py"), "count", "--saves", str(out_file)],
        env=env,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    text, ok = report(args.db, args.seconds, args.users, client,
                      server_times(work / "access.log", since), json.loads(counted.stdout),
                      server_log.read_text(encoding="utf-8").count("database is locked"))  # fmt: skip
    print(text)
    print(
        f"(logs in {work})" if args.keep or not ok else "", end="\n" if args.keep or not ok else ""
    )
    if not (args.keep or not ok):
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
