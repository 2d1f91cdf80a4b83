"""The access-control matrix (issue 9, "done when"): every URL pattern of kaoping.urls, requested by
every persona, answers as designed; IDs guessed from another scope never answer with data.

The world (tests/access_world.py) holds the same objects in two scopes, city_a and city_b. The
personas belong to scope A: anonymous, a user with no role, A's organizer, rater, branch user
and viewer, and the three administrators (三员). Each URL is built with A's objects and requested
by each persona (GET, then POST with an empty body); then with B's objects (the guessed IDs).
Every request runs in a transaction that is rolled back, so a POST that succeeds changes nothing
for the next one.

`EXPECTED` holds the designed answer per URL name. A URL without an entry fails the test: whoever
adds a URL decides who may open it. Outcomes: "200"; "login" (a redirect to the login page);
"302" (any other redirect); otherwise the status code. A row reads persona:outcome, in the order
of PERSONAS; "foreign" rows are A's personas on B's objects, where only 403/404/405 are allowed.
"""

from __future__ import annotations

import copy
import os
from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kaoping.accounts.models import Role, User
from tests.access_expected import EXPECTED
from tests.access_world import build_scope

pytestmark = pytest.mark.django_db

PERSONAS = ["anon", "none", "organizer", "rater", "branch", "viewer",
            "sysadmin", "secadmin", "auditor"]  # fmt: skip
SKIPPED_PREFIXES = ("admin/", "i18n/", "static/", "media/")
# Refusals a persona may meet on another scope's object: never data, never a change.
REFUSALS = {"403", "404", "405"}
GLOBAL_OBJECTS = {"user", "role", "session"}
GOVERNORS = {"sysadmin", "secadmin"}


# --- the URL patterns -----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the URL name, with the kwargs when one name has several patterns
    name: str
    kwargs: tuple[str, ...]
    route: str


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from walk(pattern.url_patterns, route, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            kwargs = tuple(sorted(pattern.pattern.regex.groupindex))
            yield f"{namespace}{pattern.name}", kwargs, route


def routes() -> list[Route]:
    found = list(walk(get_resolver().url_patterns))
    counts = {}
    for name, _kwargs, _route in found:
        counts[name] = counts.get(name, 0) + 1
    return [
        Route(f"{name}[{','.join(kwargs)}]" if counts[name] > 1 else name, name, kwargs, route)
        for name, kwargs, route in found
    ]


# --- which object fills which URL argument --------------------------------------------------

# URL key → {kwarg: object}: a key of Scope.objects, "person:<role>" for a user's id, "user" and
# "role" for the account pages' target (the scope's viewer and the viewer's role), "session" for
# a session of the scope's organizer, "=literal" for a fixed value.
ARGUMENTS = {
    "orgs:detail": {"pk": "org_county"},
    "orgs:children": {"pk": "org_county"},
    "orgs:create_child": {"pk": "org_county"},
    "orgs:edit": {"pk": "org_county"},
    "orgs:move": {"pk": "org_county"},
    "orgs:deactivate": {"pk": "org_county"},
    "orgs:roster_import_into": {"pk": "org_county"},
    "orgs:roster_export": {"pk": "org_county"},
    "campaigns:stage_edit": {"pk": "stage"},
    "campaigns:stage_delete": {"pk": "stage"},
    "campaigns:assign": {"pk": "stage"},
    "campaigns:panel_edit": {"pk": "panel"},
    "campaigns:panel_delete": {"pk": "panel"},
    "campaigns:assignment_delete": {"pk": "assignment"},
    "campaigns:sheet": {"pk": "assignment"},
    "campaigns:entry_save": {"pk": "assignment"},
    "campaigns:sheet_submit": {"pk": "assignment"},
    "campaigns:sheet_return": {"pk": "assignment"},
    "campaigns:custom_items_write": {"pk": "self_assignment"},
    "campaigns:evidence_upload": {"pk": "assignment"},
    "campaigns:evidence_file": {"pk": "evidence"},
    "campaigns:evidence_delete": {"pk": "evidence"},
    "campaigns:result_detail": {"pk": "campaign", "participant_pk": "participant"},
    "campaigns:observation_batches": {"pk": "obs_stage"},
    "campaigns:batch": {"pk": "batch"},
    "campaigns:batch_screen": {"pk": "batch"},
    "campaigns:batch_ranking": {"pk": "batch"},
    "campaigns:visit": {"pk": "visit"},
    "campaigns:allocation_new": {"pk": "cross_stage"},
    "campaigns:allocation": {"pk": "allocation"},
    "campaigns:allocation_move": {"pk": "allocation"},
    "campaigns:allocation_verify": {"pk": "allocation"},
    "campaigns:allocation_apply": {"pk": "allocation"},
    "campaigns:draw": {"pk": "draw"},
    "campaigns:draw_verify": {"pk": "draw"},
    "campaigns:draw_xlsx": {"pk": "draw"},
    "campaigns:draw_apply": {"pk": "draw"},
    "campaigns:award_adjust": {"pk": "award"},
    "rectification:compliance": {"pk": "campaign", "org": "org_village"},
    "rectification:list": {"pk": "rect_list"},
    "rectification:list_add": {"pk": "rect_list"},
    "rectification:list_merge": {"pk": "rect_list"},
    "rectification:notice": {"pk": "rect_list"},
    "rectification:file": {"pk": "rect_file"},
    "rectification:file_thumb": {"pk": "rect_file"},
    "rectification:ledger": {"org": "org_root"},
    "rectification:weak": {"org": "org_root"},
    "duties:cycle": {"pk": "cycle"},
    "duties:cycle_xlsx": {"pk": "cycle"},
    "duties:custom_delete": {"pk": "duty_list", "duty_pk": "duty"},
    "duties:evidence": {"pk": "duty_file"},
    "reports:dashboard_table": {"pk": "campaign", "key": "=grades"},
    "reports:org_trend": {"pk": "org_village"},
    "reports:paper_blank[assignment]": {"assignment": "assignment"},
    "reports:paper_blank[rater,stage]": {"stage": "stage", "rater": "person:rater"},
    "reports:paper_upload[assignment]": {"assignment": "assignment"},
    "reports:paper_upload[stage]": {"stage": "stage"},
    "accounts:security_user": {"pk": "user"},
    "accounts:security_grant": {"pk": "user"},
    "accounts:security_admin_role": {"pk": "user"},
    "accounts:security_remove_role": {"pk": "role"},
    "reports:export_start": {"pk": "campaign", "kind": "=ranking"},
    "reports:export_job": {"pk": "missing"},
    "reports:export_progress": {"pk": "missing"},
    "reports:export_download": {"pk": "missing"},
    "security:end_my_session": {"pk": "session"},
    "twofactor:reset_for_user": {"pk": "user"},
    "security:end_any_session": {"pk": "session"},
    "security:user_edit": {"pk": "user"},
    "security:user_disable": {"pk": "user"},
    "security:user_enable": {"pk": "user"},
    "security:user_reset_password": {"pk": "user"},
}
# Whole namespaces whose `pk` is one kind of object unless ARGUMENTS says otherwise.
DEFAULT_PK = {
    "campaigns:": "campaign",
    "rectification:campaign": "campaign",
    "rectification:build": "campaign",
    "rectification:issue_lists": "campaign",
    "rectification:notices": "campaign",
    "rectification:": "issue",
    "duties:": "duty_list",
    "reports:": "campaign",
}


def argument_kind(route: Route, kwarg: str) -> str:
    explicit = ARGUMENTS.get(route.key, {})
    if kwarg in explicit:
        return explicit[kwarg]
    if kwarg == "pk":
        for prefix, kind in DEFAULT_PK.items():
            if route.key.startswith(prefix):
                return kind
    raise AssertionError(f"no object for argument {kwarg!r} of url name {route.key}")


def argument_value(kind: str, scope, extras):
    if kind.startswith("="):
        return kind[1:]
    if kind == "missing":  # no such object in the world yet: everyone must get a refusal
        return 999_999
    if kind.startswith("person:"):
        return scope.people[kind.split(":", 1)[1]].pk
    if kind in extras:
        return extras[kind]
    return scope.objects[kind].pk


def url_for(route: Route, scope, extras) -> str:
    kwargs = {k: argument_value(argument_kind(route, k), scope, extras) for k in route.kwargs}
    return reverse(route.name, kwargs=kwargs)


# --- the world and the personas -------------------------------------------------------------


def _admin(username, role):
    user = User.objects.create_user(username=username, password="x", full_name=username)
    if hasattr(User, "admin_role"):
        user.admin_role = role
        user.save()
    return user


def _session_pk(user):
    try:
        from kaoping.security.models import UserSession
    except ImportError:
        return 999_999
    session = UserSession.objects.filter(user=user).order_by("pk").first()
    return session.pk if session else 999_999


@pytest.fixture
def world(tree, django_capture_on_commit_callbacks):
    a = build_scope(tree["city_a"], "甲", tree["city_b"], django_capture_on_commit_callbacks)
    b = build_scope(tree["city_b"], "乙", tree["city_a"], django_capture_on_commit_callbacks)
    people = {
        "anon": None,
        "none": User.objects.create_user(username="norole", password="x", full_name="无角色"),
        **{k: a.people[k] for k in ("organizer", "rater", "branch", "viewer")},
        "sysadmin": _admin("sysadmin", "system"),
        "secadmin": _admin("secadmin", "security"),
        "auditor": _admin("auditor", "audit"),
    }
    clients = {}
    for persona, user in people.items():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
            client.get(reverse("home"))  # registers the session where sessions are recorded
        clients[persona] = client
    other = Client()
    other.force_login(b.people["organizer"])
    other.get(reverse("home"))  # B's organizer has a session too: the guessed one
    extras = {}
    for tag, scope in (("a", a), ("b", b)):
        viewer = scope.people["viewer"]
        extras[tag] = {
            "user": viewer.pk,
            "role": Role.objects.filter(user=viewer).first().pk,
            "session": _session_pk(scope.people["organizer"]),
        }
    return {"a": a, "b": b, "clients": clients, "extras": extras}


def outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        location = response.headers.get("Location", "")
        return "login" if location.startswith(reverse("login")) else "302"
    return str(status)


def request(client, method, url) -> str:
    """One request whose writes are rolled back; the client keeps its cookies (a POST to the
    logout URL must not sign the persona out for the rest of the walk)."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    # File downloads hold their file open until closed; closing sends request_finished, whose
    # close_old_connections would close the test's connection on PostgreSQL (Django's test
    # client disconnects it the same way around its own close).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    client.cookies = cookies
    return outcome(response)


# --- the designed answers -------------------------------------------------------------------


def personas_of(label: str) -> list[str]:
    return [p for p in PERSONAS if p != "anon"] if "foreign" in label else PERSONAS


def row(text: str, label: str) -> dict[str, str]:
    """persona:outcome pairs; "*:404" stands for every persona the row does not name."""
    pairs = dict(part.split(":") for part in text.split())
    rest = pairs.pop("*", None)
    return {p: pairs.get(p, rest) for p in personas_of(label) if p in pairs or rest}


def compact(outcomes: dict[str, str]) -> str:
    """The row for `outcomes`: the commonest outcome as "*", the others by persona."""
    common, count = Counter(outcomes.values()).most_common(1)[0]
    if count == 1:
        return " ".join(f"{p}:{o}" for p, o in outcomes.items())
    named = [f"{p}:{o}" for p, o in outcomes.items() if o != common]
    return " ".join([*named, f"*:{common}"])


def observe(world, route: Route) -> dict[str, str]:
    """The outcomes of one URL: rows "GET", "POST", and with object arguments "GET foreign" and
    "POST foreign" (personas of A on B's objects)."""
    clients = world["clients"]
    seen = {}
    own = url_for(route, world["a"], world["extras"]["a"])
    for method in ("GET", "POST"):
        seen[method] = {p: request(clients[p], method, own) for p in PERSONAS}
    if route.kwargs:
        foreign = url_for(route, world["b"], world["extras"]["b"])
        for method in ("GET", "POST"):
            label = f"{method} foreign"
            seen[label] = {p: request(clients[p], method, foreign) for p in personas_of(label)}
    return seen


def may_see_foreign(route: Route) -> set[str]:
    """Accounts belong to no scope: the administrators who govern them reach every one."""
    kinds = {argument_kind(route, k) for k in route.kwargs}
    if kinds & GLOBAL_OBJECTS:
        return GOVERNORS
    # 三员分立: the system administrator keeps the whole organization tree (not what is scored).
    return {"sysadmin"} if route.name.startswith("orgs:") else set()


def test_every_url_answers_every_persona_as_designed(world, capsys):
    record = os.environ.get("ACCESS_MATRIX_RECORD")
    problems, leaks, observed, requests = [], [], {}, 0
    for route in routes():
        if route.key not in EXPECTED and not record:
            problems.append(f"no expectation for url name {route.key} ({route.route})")
            continue
        try:
            [argument_kind(route, k) for k in route.kwargs]
        except AssertionError as error:
            problems.append(str(error))
            continue
        seen = observe(world, route)
        observed[route.key] = seen
        allowed = may_see_foreign(route)
        for label, outcomes in seen.items():
            requests += len(outcomes)
            if "foreign" in label:
                leaks += [f"{route.key} {label} {p}:{o}" for p, o in outcomes.items()
                          if o not in REFUSALS and p not in allowed]  # fmt: skip
            if "500" in outcomes.values():
                problems.append(f"{route.key} {label}: server error: {compact(outcomes)}")
            expected = EXPECTED.get(route.key, {}).get(label, "")
            if not record and outcomes != row(expected, label):
                problems.append(f"{route.key} {label}:\n  expected {expected}\n"
                                f"  observed {compact(outcomes)}")  # fmt: skip
    walked = {route.key for route in routes()}
    problems += [f"expectation for {key}, which no URL has" for key in EXPECTED.keys() - walked]
    with capsys.disabled():
        print(f"\naccess matrix: {len(observed)} urls, {requests} requests, {len(leaks)} leaks")
        for leak in leaks:
            print("  LEAK", leak)
        if record:
            for key, seen in observed.items():
                print(f"    {key!r}: {{")
                for label, outcomes in seen.items():
                    print(f"        {label!r}: {compact(outcomes)!r},")
                print("    },")
    assert leaks == []
    assert problems == [], "\n".join(problems)


def test_a_branch_user_sees_nothing_of_a_sibling_branch(world):
    """Within scope A the branch user of village 1 guesses the IDs of village 2 (same county,
    same campaign): its result, its trend, its organization, a rater's sheet of it."""
    a = world["a"]
    village2 = a.objects["org_village2"]
    campaign = a.objects["campaign"]
    participant2 = campaign.participants.get(organization=village2)
    sheet2 = participant2.assignments.filter(stage=a.objects["stage"]).first()
    client = world["clients"]["branch"]
    guesses = [
        reverse("campaigns:result_detail", args=[campaign.pk, participant2.pk]),
        reverse("reports:org_trend", args=[village2.pk]),
        reverse("orgs:detail", args=[village2.pk]),
        reverse("campaigns:sheet", args=[sheet2.pk]),
        reverse("reports:paper_blank", kwargs={"assignment": sheet2.pk}),
    ]
    answers = {url: request(client, "GET", url) for url in guesses}
    assert answers == dict.fromkeys(guesses, "404")
