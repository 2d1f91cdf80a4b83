"""Every view for the personas: alice (organizer of the scope), bob (organizer elsewhere),
charlie (no role), the secretary (branch user of the list's organization), anonymous."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from kaoping.duties.domain.cycle import open_cycle
from kaoping.duties.domain.progress import add_note
from kaoping.duties.models import DutyList, NoteEvidence
from tests.duties.conftest import write_two
from tests.factories import OrganizationFactory, RoleFactory, UserFactory

OK, NOT_FOUND, FORBIDDEN, LOGIN = 200, 404, 403, 302


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 90, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def evidence(filed_list, secretary):
    note = add_note(duty_list=filed_list, item_key="c1", text="制定年度计划", by=secretary,
                    upload=SimpleUploadedFile("plan.png", png()))  # fmt: skip
    return NoteEvidence.objects.get(note=note)


@pytest.fixture
def people(alice, bob, charlie, secretary):
    return {"alice": alice, "bob": bob, "charlie": charlie, "secretary": secretary, "anon": None}


def fetch(client, user, url, method="get", data=None):
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url, data or {})
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
        response.close()  # a FileResponse left open warns, and warnings are errors
    return response


GETS = {
    # name: (alice, bob, charlie, secretary, anonymous)
    "cycle": (OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN),
    "cycle_xlsx": (OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, LOGIN),
    "list": (OK, NOT_FOUND, NOT_FOUND, OK, LOGIN),
    "docx": (OK, NOT_FOUND, NOT_FOUND, OK, LOGIN),
    "show": (OK, NOT_FOUND, NOT_FOUND, OK, LOGIN),
    "amend": (NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, LOGIN),
    "evidence": (OK, NOT_FOUND, NOT_FOUND, OK, LOGIN),
    "index": (OK, OK, OK, OK, LOGIN),
    "cycle_create": (OK, OK, FORBIDDEN, FORBIDDEN, LOGIN),
}
WHO = ("alice", "bob", "charlie", "secretary", "anon")


@pytest.mark.parametrize("name", GETS)
@pytest.mark.parametrize("who", range(5))
def test_get_views_per_persona(client, people, filed_list, evidence, name, who):
    args = {"cycle": [filed_list.cycle_id], "cycle_xlsx": [filed_list.cycle_id],
            "evidence": [evidence.pk], "index": [], "cycle_create": []}.get(name, [filed_list.pk])  # fmt: skip
    response = fetch(client, people[WHO[who]], reverse(f"duties:{name}", args=args))
    assert response.status_code == GETS[name][who]


POSTS = {
    # name: (data, the one persona allowed)
    "custom_add": ({"text": "t", "standard": "s"}, "secretary"),
    "sign": ({"name": "王书记"}, "secretary"),
    "file": ({}, "secretary"),
    "verify": ({"item": "c1", "outcome": "done"}, "alice"),
    "note_add": ({"item": "c1", "text": "n"}, "secretary"),
}


@pytest.mark.parametrize("name", POSTS)
@pytest.mark.parametrize("who", WHO)
def test_post_views_refuse_everyone_else(client, people, filed_list, name, who):
    data, allowed = POSTS[name]
    response = fetch(
        client, people[who], reverse(f"duties:{name}", args=[filed_list.pk]), "post", data
    )
    if who == "anon":
        assert response.status_code == LOGIN and "/login/" in response.url
    elif who == allowed:
        assert response.status_code == LOGIN  # redirect back to the list
    else:
        assert response.status_code == NOT_FOUND


def test_show_page_for_a_member_without_a_role(client, filed_list):
    member = UserFactory(username="member")
    member.home_organization = filed_list.organization
    member.save(update_fields=["home_organization"])
    response = fetch(client, member, reverse("duties:show", args=[filed_list.pk]))
    assert response.status_code == OK
    assert "开展支部联建" in response.content.decode()


def test_show_page_of_a_draft_is_not_found(client, branch_list, secretary):
    assert (
        fetch(client, secretary, reverse("duties:show", args=[branch_list.pk])).status_code == 404
    )


def test_secretary_signs_with_one_duty_and_sees_why_not(client, branch_list, secretary):
    client.force_login(secretary)
    client.post(
        reverse("duties:custom_add", args=[branch_list.pk]), {"text": "联建", "standard": "4次"}
    )
    response = client.post(
        reverse("duties:sign", args=[branch_list.pk]), {"name": "王书记"}, follow=True
    )
    assert (
        "Add at least 2 individual duties before signing (the list has 1)."
        in response.content.decode()
    )
    branch_list.refresh_from_db()
    assert branch_list.state == "draft"


def test_empty_standard_names_the_field(client, branch_list, secretary):
    client.force_login(secretary)
    response = client.post(reverse("duties:custom_add", args=[branch_list.pk]),
                           {"text": "联建", "standard": ""}, follow=True)  # fmt: skip
    assert "Standard: This field is required." in response.content.decode()


def test_organizer_opens_a_cycle_with_default_deadline(client, alice, organs):
    client.force_login(alice)
    response = client.post(reverse("duties:cycle_create"),
                           {"scope": organs["root"].pk, "year": 2027})  # fmt: skip
    lists = DutyList.objects.filter(cycle__year=2027)
    assert response.status_code == 302 and lists.count() == 4
    assert lists.first().cycle.deadline.isoformat() == "2027-03-31"


def test_organizer_cannot_open_outside_the_scope(client, alice, organs):
    client.force_login(alice)
    response = client.post(
        reverse("duties:cycle_create"), {"scope": organs["other"].pk, "year": 2027}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_amend_page_records_an_amendment(client, filed_list, secretary):
    client.force_login(secretary)
    data = {"custom-TOTAL_FORMS": 3, "custom-INITIAL_FORMS": 2, "reason": "调整", "name": "王书记",
            "custom-0-text": "联建", "custom-0-standard": "6次",
            "custom-1-text": "讲党课", "custom-1-standard": "2次"}  # fmt: skip
    response = client.post(reverse("duties:amend", args=[filed_list.pk]), data)
    assert response.status_code == 302
    assert filed_list.versions.count() == 2


def test_xlsx_view_reads_back(client, alice, filed_list):
    client.force_login(alice)
    response = client.get(reverse("duties:cycle_xlsx", args=[filed_list.cycle_id]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 5


# ------------------------------------------------------------------------------ N+1 guards


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def scope_with_branches(n, organizer, secretary):
    root = OrganizationFactory(name=f"工委{n}", kind="working_committee")
    RoleFactory(user=organizer, organization=root, kind="organizer")
    organ = OrganizationFactory(name=f"机关党委{n}", kind="organ_committee", parent=root)
    branches = [
        OrganizationFactory(name=f"支部{n}-{i}", kind="branch", parent=organ) for i in range(n)
    ]
    for branch in branches:
        RoleFactory(user=secretary, organization=branch, kind="branch_user")
    cycle = open_cycle(scope=root, year=2026, by=organizer)
    for duty_list in cycle.lists.all():
        write_two(duty_list)
    return cycle


def test_cycle_and_index_pages_query_the_same_at_1_and_3_lists(client, db):
    organizer, secretary = UserFactory(username="org"), UserFactory(username="sec")
    one, three = (
        scope_with_branches(1, organizer, secretary),
        scope_with_branches(3, organizer, secretary),
    )
    client.force_login(organizer)
    cycle_counts = [
        count_queries(client, reverse("duties:cycle", args=[c.pk])) for c in (one, three)
    ]
    assert cycle_counts[0] == cycle_counts[1]
    client.force_login(secretary)
    base = count_queries(client, reverse("duties:index"))
    scope_with_branches(2, UserFactory(username="org2"), secretary)
    assert count_queries(client, reverse("duties:index")) == base


def test_list_page_queries_the_same_at_1_and_3_notes(client, filed_list, secretary):
    client.force_login(secretary)
    url = reverse("duties:list", args=[filed_list.pk])
    add_note(duty_list=filed_list, item_key="c1", text="1", by=secretary,
             upload=SimpleUploadedFile("a.png", png()))  # fmt: skip
    one = count_queries(client, url)
    for key in ("c2", "p1"):
        add_note(duty_list=filed_list, item_key=key, text="n", by=secretary,
                 upload=SimpleUploadedFile("a.png", png()))  # fmt: skip
    assert count_queries(client, url) == one
