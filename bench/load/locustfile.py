"""The load scenario: raters scoring at once, as their browsers do it.

Each simulated rater logs in, then sheet after sheet: opens the worklist, opens the first sheet
not yet submitted, saves every item one by one (the htmx POST the sheet page sends on change:
the item's form fields, the page-wide sheet version, the CSRF header, HX-Request), re-saves a
few items as a correction, submits the sheet with the version the last save returned, and
opens the submitted sheet. Between saves it waits LOAD_THINK_MIN..LOAD_THINK_MAX seconds
(default 0.5–1.5: ten times faster than people type, to load the server).

Reads the plan bench/load/data.py wrote (LOAD_PLAN); writes LOAD_OUT at the end: every
request's client latency by type, the failures, and the saves the client saw succeed (for the
count against the database). No Django here: only what a browser sees.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections import defaultdict
from itertools import count

from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
OUT = os.environ["LOAD_OUT"]
THINK = (float(os.environ.get("LOAD_THINK_MIN", "0.5")),
         float(os.environ.get("LOAD_THINK_MAX", "1.5")))  # fmt: skip
USERS = min(int(os.environ.get("LOAD_USERS", "50")), len(PLAN["usernames"]))
RESAVE_SHARE = 0.1  # items saved a second time with another amount (a correction)

SHEET_LINK = re.compile(r'href="/campaigns/assignments/(\d+)/sheet/"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" id="sheet-version" value="(\d+)"')
ITEM = re.compile(r'<input type="hidden" name="item" value="([^"]+)">')
AMOUNTS = ("0.1", "0.2", "0.3", "0.5", "0.8", "1")

_accounts = count()
latencies: dict[str, list[float]] = defaultdict(list)
# Requests made once every rater has logged in: the steady state, past the burst of logins
# (a login is a PBKDF2 hash, about a second of CPU, so 50 at once hold both cores for a while).
steady: dict[str, list[float]] = defaultdict(list)
state = {"logged_in": 0, "steady_since": None}
failures: dict[str, int] = defaultdict(int)
failure_examples: list[str] = []
saved: dict[str, str] = {}  # "assignment item" -> amount last saved (the client saw "Saved")
# Saves sent whose answer never came: the run stopped the rater mid-request. The server may
# have stored them; the count tells those apart from losses.
pending: dict[str, str] = {}
submitted: list[int] = []


@events.request.add_listener
def _record(request_type, name, response_time, exception, **_kw):
    latencies[name].append(response_time)
    if state["steady_since"] is not None:
        steady[name].append(response_time)
    if exception is not None:
        failures[name] += 1
        if len(failure_examples) < 20:
            failure_examples.append(f"{name}: {exception}"[:300])


@events.quitting.add_listener
def _write(environment, **_kw):
    with open(OUT, "w", encoding="utf-8") as out:
        json.dump({"latencies": latencies, "steady": steady, **state, "failures": failures, "saved": saved, "pending": pending,
                   "submitted": submitted, "failure_examples": failure_examples}, out)  # fmt: skip


class Rater(FastHttpUser):
    wait_time = between(*THINK)

    def on_start(self):
        n = next(_accounts)
        if n >= len(PLAN["usernames"]):
            raise StopUser  # more users than raters: each account is one person
        self.username = PLAN["usernames"][n]
        self.done: set[int] = set()
        page = self.client.get("/login/", name="login page").text
        with self.client.post(
            "/login/", name="login", allow_redirects=False, catch_response=True,
            data={"username": self.username, "password": PLAN["password"],
                  "csrfmiddlewaretoken": CSRF_FIELD.search(page).group(1)},
            headers={"Referer": f"{self.host}/login/"},
        ) as resp:  # fmt: skip
            if resp.status_code != 302:
                resp.failure(f"login answered {resp.status_code}")
                raise StopUser
        state["logged_in"] += 1
        if state["logged_in"] == USERS:
            state["steady_since"] = time.time()

    @task
    def score_one_sheet(self):
        worklist = self.client.get("/campaigns/worklist/", name="worklist").text
        todo = [int(pk) for pk in SHEET_LINK.findall(worklist) if int(pk) not in self.done]
        if not todo:
            self.wait()
            return
        pk = todo[0]
        url = f"/campaigns/assignments/{pk}/sheet/"
        page = self.client.get(url, name="sheet").text
        csrf = CSRF_HEADER.search(page).group(1)
        version = int(VERSION.search(page).group(1))
        codes = list(dict.fromkeys(ITEM.findall(page)))
        again = random.sample(codes, max(1, int(len(codes) * RESAVE_SHARE)))
        for code in codes + again:
            self.wait()
            version = self._save(pk, url, csrf, version, code)
        self.wait()
        with self.client.post(
            f"{url}submit/", name="sheet_submit", allow_redirects=False, catch_response=True,
            data={"csrfmiddlewaretoken": csrf, "form_version": str(version)},
            headers={"Referer": f"{self.host}{url}"},
        ) as resp:  # fmt: skip
            if resp.status_code != 302 or "fix-list" in resp.headers.get("Location", ""):
                resp.failure(f"submit refused ({resp.status_code} {resp.headers.get('Location')})")
            else:
                submitted.append(pk)
        self.done.add(pk)
        self.client.get(url, name="sheet")

    def _save(self, pk: int, url: str, csrf: str, version: int, code: str) -> int:
        amount = random.choice(AMOUNTS)
        data = {"csrfmiddlewaretoken": csrf, "item": code, "form_version": str(version),
                **PLAN["items"][code], "d-amount": amount, "version": str(version)}  # fmt: skip
        headers = {"HX-Request": "true", "HX-Current-URL": f"{self.host}{url}",
                   "HX-Target": f"res-{code.encode().hex()}", "X-CSRFToken": csrf,
                   "Referer": f"{self.host}{url}"}  # fmt: skip
        pending[f"{pk} {code}"] = amount
        with self.client.post(f"{url}entry/", name="entry_save", data=data, headers=headers,
                              catch_response=True) as resp:  # fmt: skip
            pending.pop(f"{pk} {code}", None)
            found = VERSION.search(resp.text or "")
            if resp.status_code != 200 or 'class="saved"' not in resp.text or not found:
                resp.failure(f"not saved ({resp.status_code}): {(resp.text or '')[:200]}")
                return version
            saved[f"{pk} {code}"] = amount
            return int(found.group(1))
