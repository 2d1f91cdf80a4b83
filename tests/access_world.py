"""A world with one of every object in each of two scopes, for the access-control matrix.

`build_scope(root, tag, other_root)` fills the subtree of `root` (city_a or city_b of the shared
`tree` fixture) with people and objects, through the domain functions where they exist (so the
rows are what the application itself writes) and row by row where only a row is needed:

root ─┬─ county ─┬─ village 1 (participant, its branch user, rectification list)
      │          └─ village 2 (participant)
      └─ organ committee ── branch (duty list, signed and filed by the branch user)

People: an organizer and a viewer of root, two raters of root homed in the other scope (no
conflict), the branch user of village 1 and the branch. Objects: a published campaign with a
self-assessment, a full review (submitted sheets, one evidence file), an observation stage
(panel, batch, visit) and a cross-review stage (allocation), a draw, an award; the issued
rectification list of village 1 with an issue and a progress photo; the year's duty cycle with
the branch's list, a custom duty and a progress note with a photo.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kaoping.campaigns.domain.allocation import propose_allocation
from kaoping.campaigns.domain.publication import publish
from kaoping.campaigns.domain.rubrics import store_bundled
from kaoping.campaigns.domain.sampling import make_draw
from kaoping.campaigns.models import (
    Assignment,
    Award,
    Campaign,
    CampaignRubric,
    Evidence,
    ObservationBatch,
    Panel,
    Participant,
    ScoreSheet,
    Stage,
    Visit,
)
from kaoping.duties.domain.cycle import add_custom_duty, file_list, open_cycle, sign_list
from kaoping.duties.domain.progress import add_note, list_items
from kaoping.duties.models import NoteEvidence
from kaoping.rectification.domain.lists import issue_lists
from kaoping.rectification.domain.work import post_progress
from kaoping.rectification.models import ProgressFile, RectificationList
from tests.campaigns.results_fixtures import submit
from tests.factories import OrganizationFactory, RoleFactory, UserFactory

YEAR = 2026
RUBRIC = "seed001-village-community"


def png(name="photo.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 0, 0)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@dataclass
class Scope:
    """The people and objects of one scope, by the names the matrix uses."""

    people: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)


def _user(username, *, home=None, roles=()):
    user = UserFactory(username=username, full_name=username)
    if home is not None:
        user.home_organization = home
        user.save(update_fields=["home_organization"])
    for organization, kind in roles:
        RoleFactory(user=user, organization=organization, kind=kind)
    return user


def _orgs(root, tag):
    county = OrganizationFactory(name=f"{tag}县委", kind="party_committee", parent=root)
    organ = OrganizationFactory(name=f"{tag}机关党委", kind="organ_committee", parent=root)
    return {
        "root": root,
        "county": county,
        "village": OrganizationFactory(name=f"{tag}一村党支部", kind="village", parent=county),
        "village2": OrganizationFactory(name=f"{tag}二村党支部", kind="village", parent=county),
        "organ": organ,
        "branch": OrganizationFactory(name=f"{tag}第一党支部", kind="branch", parent=organ),
    }


def _people(orgs, tag, other_root):
    root = orgs["root"]
    return {
        "organizer": _user(f"organizer_{tag}", roles=[(root, "organizer")]),
        "rater": _user(f"rater_{tag}", home=other_root, roles=[(root, "rater")]),
        "rater2": _user(f"rater2_{tag}", home=other_root, roles=[(root, "rater")]),
        "branch": _user(
            f"branch_{tag}",
            home=orgs["village"],
            roles=[(orgs["village"], "branch_user"), (orgs["branch"], "branch_user")],
        ),
        "viewer": _user(f"viewer_{tag}", roles=[(root, "viewer")]),
    }


def _campaign(orgs, people, tag):
    rubric = store_bundled(RUBRIC)
    campaign = Campaign.objects.create(
        name=f"{tag}2026年度村级党建测评", year=YEAR, period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31), scope=orgs["root"],
        participant_kinds=["village"], created_by=people["organizer"],
    )  # fmt: skip
    CampaignRubric.objects.create(campaign=campaign, org_kind="village", rubric=rubric)
    participants = [
        Participant.objects.create(campaign=campaign, organization=orgs[k], rubric=rubric)
        for k in ("village", "village2")
    ]
    today = datetime.date.today()
    start, end = today - datetime.timedelta(days=10), today + datetime.timedelta(days=10)

    def stage(kind, position, **extra):
        return Stage.objects.create(campaign=campaign, kind=kind, name=kind, position=position,
                                    starts_on=start, ends_on=end, **extra)  # fmt: skip

    stages = {
        "self": stage("self_assessment", 1, weight=0),
        "review": stage("full_review", 2, method="mean", weight=1),
    }
    self_assignment = Assignment.objects.create(
        stage=stages["self"], participant=participants[0], rater=people["branch"]
    )
    review = [
        Assignment.objects.create(stage=stages["review"], participant=p, rater=r)
        for p in participants
        for r in (people["rater"], people["rater2"])
    ]
    for assignment in review:
        lost = {"1.1": "1", "1.2": "2"} if assignment.participant == participants[0] else {}
        submit(assignment, lost)
    return campaign, participants, stages, self_assignment, review


def _evidence(assignment):
    upload = png()
    return Evidence.objects.create(
        sheet=ScoreSheet.objects.get(assignment=assignment), item_code="1.1", file=upload, original_name="photo.png",
        content_type="image/png", size=upload.size, sha256="0" * 64,
        uploaded_by=assignment.rater,
    )  # fmt: skip


def _selection(campaign, stages, participants, people):
    """Observation and cross-review stages (no weight, no sheets) with their objects, made while
    the campaign is open."""
    today = datetime.date.today()
    obs = Stage.objects.create(campaign=campaign, kind="observation", name="观摩", position=3,
                               starts_on=today, ends_on=today, weight=0)  # fmt: skip
    cross = Stage.objects.create(campaign=campaign, kind="cross_review", name="交叉", position=4,
                                 starts_on=today, ends_on=today, weight=0)  # fmt: skip
    panel = Panel.objects.create(stage=obs, name="第一观摩组", leader=people["rater"])
    batch = ObservationBatch.objects.create(stage=obs, panel=panel, name="第一批",
                                            starts_on=today, ends_on=today,
                                            created_by=people["organizer"])  # fmt: skip
    visit = Visit.objects.create(batch=batch, participant=participants[0], position=1)
    raters = [people["rater"], people["rater2"]]
    allocation = propose_allocation(stage=cross, group_count=2, balance="none", same_parent=False,
                                    raters=raters, by=people["organizer"], seed=1)  # fmt: skip
    draw = make_draw(campaign=campaign, title="抽查", count=1, pool=raters,
                     by=people["organizer"], seed=1)  # fmt: skip
    award = Award.objects.create(campaign=campaign, name="五星", quota=1,
                                 created_by=people["organizer"])  # fmt: skip
    return {"obs_stage": obs, "cross_stage": cross, "panel": panel, "batch": batch,
            "visit": visit, "allocation": allocation, "draw": draw, "award": award}  # fmt: skip


def _rectification(campaign, orgs, people):
    draft = RectificationList.objects.get(campaign=campaign, organization=orgs["village"])
    today = datetime.date.today()
    issue_lists(lists=[draft], by=people["organizer"],
                deadline_limit=today + datetime.timedelta(days=30), day=today)  # fmt: skip
    draft.refresh_from_db()
    issue = draft.issues.order_by("position").first()
    post_progress(issue=issue, by=people["branch"], text="已整改", uploads=[png()])
    return {"rect_list": draft, "issue": issue,
            "rect_file": ProgressFile.objects.get(progress__issue=issue)}  # fmt: skip


def _duties(orgs, people):
    cycle = open_cycle(scope=orgs["root"], year=YEAR, by=people["organizer"])
    duty_list = cycle.lists.get(organization=orgs["branch"])
    duty = add_custom_duty(duty_list=duty_list, text="开展支部联建", standard="全年不少于4次")
    add_custom_duty(duty_list=duty_list, text="带头讲党课", standard="每半年1次")
    day = datetime.date(YEAR, 3, 20)
    sign_list(duty_list=duty_list, name="书记", by=people["branch"], day=day)
    file_list(duty_list=duty_list, by=people["branch"], day=day)
    duty_list.refresh_from_db()
    item = list_items(duty_list)[0]
    add_note(duty_list=duty_list, item_key=item.key, text="已开展", by=people["branch"],
             upload=png(), day=day)  # fmt: skip
    return {"cycle": cycle, "duty_list": duty_list, "duty": duty,
            "duty_file": NoteEvidence.objects.get(note__duty_list=duty_list)}  # fmt: skip


def build_scope(root, tag: str, other_root, run_on_commit) -> Scope:
    """Everything of one scope; `run_on_commit` is pytest-django's
    django_capture_on_commit_callbacks (publication builds rectification drafts on commit)."""
    orgs = _orgs(root, tag)
    people = _people(orgs, tag, other_root)
    campaign, participants, stages, self_assignment, review = _campaign(orgs, people, tag)
    evidence = _evidence(review[0])
    campaign.state = "open"
    campaign.save(update_fields=["state"])
    selection = _selection(campaign, stages, participants, people)
    campaign.state = "closed"
    campaign.save(update_fields=["state"])
    with run_on_commit(execute=True):
        publish(campaign=campaign, by=people["organizer"])
    objects = {
        **{f"org_{k}": v for k, v in orgs.items()},
        "campaign": campaign,
        "participant": participants[0],
        "self_stage": stages["self"],
        "stage": stages["review"],
        "assignment": review[0],
        "self_assignment": self_assignment,
        "evidence": evidence,
        **selection,
        **_rectification(campaign, orgs, people),
        **_duties(orgs, people),
    }
    return Scope(people=people, objects=objects)
