"""One entry save, profiled end to end: every middleware, the view, the template.

    KAOPING_VAR_DIR=/tmp/kaoping-profile python bench/load/profile_save.py --saves 300
    ... --queries            # print the SQL of one save
    ... --profile save.prof  # cProfile the saves, print the top of the cumulative listing
    ... --without a.B,c.D    # drop these middlewares (their cost is the difference)

The first run in an empty KAOPING_VAR_DIR migrates an SQLite database and creates the load
test's data (bench/load/data.py, 5 raters). Then one rater's htmx saves go through Django's
test client exactly as the sheet page posts them, and each request ends as under gunicorn
(close_old_connections: the test client skips it, which would hide the cost of opening a
connection). Prints the queries of one save and the CPU and wall time per save (p50/p95).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("KAOPING_DEBUG", "0")
os.environ.setdefault("KAOPING_SECRET_KEY", "profile-only-" + "x" * 40)
os.environ.setdefault("KAOPING_ALLOWED_HOSTS", "testserver")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import data  # django.setup() with the project's settings, before the imports below
from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kaoping.accounts.models import User
from kaoping.campaigns.models import Assignment

VERSION = re.compile(r'name="version" id="sheet-version" value="(\d+)"')
AMOUNTS = ("0.1", "0.2", "0.3", "0.5", "0.8", "1")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--queries", action="store_true")
    parser.add_argument("--without", default="", help="middlewares to drop, comma-separated")
    args = parser.parse_args()
    # No collectstatic here: plain static URLs.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # fmt: skip
    if args.without:
        dropped = set(args.without.split(","))
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m not in dropped]
    plan_file = Path(os.environ["KAOPING_VAR_DIR"], "profile-plan.json")
    if not plan_file.exists():
        call_command("migrate", verbosity=0)
        plan_file.write_text(json.dumps(data.prepare(5, 4)), encoding="utf-8")
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    user = User.objects.get(username=plan["usernames"][0])
    client = Client()
    client.force_login(user)
    url = f"/campaigns/assignments/{Assignment.objects.filter(rater=user).first().pk}/sheet/"
    state = {"version": int(VERSION.search(client.get(url).content.decode()).group(1))}
    codes = list(plan["items"])

    def save(code: str) -> None:
        body = {"item": code, "form_version": str(state["version"]), **plan["items"][code],
                "d-amount": random.choice(AMOUNTS), "version": str(state["version"])}  # fmt: skip
        response = client.post(f"{url}entry/", body, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and b'class="saved"' in response.content
        state["version"] = int(VERSION.search(response.content.decode()).group(1))
        close_old_connections()  # as request_finished does under gunicorn

    random.seed(1)
    for code in codes[:5]:
        save(code)  # warm: the rubric parsed, the templates compiled
    with CaptureQueriesContext(connection) as captured:
        save(codes[7])
    print(f"queries per save: {len(captured.captured_queries)}")
    if args.queries:
        for query in captured.captured_queries:
            print("  ", query["sql"][:160])
    profile = cProfile.Profile() if args.profile else None
    wall, cpu = [], []
    for n in range(args.saves):
        started, cpu_started = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        save(codes[n % len(codes)])
        if profile:
            profile.disable()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    for name, values in (("cpu", cpu), ("wall", wall)):
        print(f"{name} ms per save: p50 {percentile(values, 0.5):.1f} "
              f"p95 {percentile(values, 0.95):.1f} over {len(values)} saves")  # fmt: skip
    if profile:
        profile.dump_stats(args.profile)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
