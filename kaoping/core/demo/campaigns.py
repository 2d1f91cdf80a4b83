"""The demo campaigns: X县's observation campaign and 西宁特钢's 以评促建 assessment.

Deterministic (one `random.Random(SEED)`, drawn in a fixed order) and idempotent (a campaign
whose name exists on its root is left alone). Sheets are scored by the scoring core and stored
through `store_submissions`, exactly as submission stores them, with bulk inserts; the
results are then computed by `recompute_results`.

- X县 (seed 001): villages and communities on the village sheet, "两新" organizations on the
  "两新" sheet; a submitted self-assessment by each organization's branch user and a full review
  by three raters from outside the county (trimmed mean). PUBLISHED, so that every demo persona —
  the county organizer, the 东关村 branch user, the raters — sees real results and ranks at once.
- 西宁特钢 (seed 003): general branches and branches on the 以评促建 index, the 15 common slots
  worded by the organizer (demo wording, labelled as such) and 5 custom slots written by each
  branch; one full review by the same three raters; two branches with a triggered 反向指标.
  CLOSED, so that the group's organizer can publish it and see the flow.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kaoping.accounts.enums import RoleKind
from kaoping.accounts.models import Role, User
from kaoping.campaigns.domain.publication import publish
from kaoping.campaigns.domain.results import recompute_results
from kaoping.campaigns.domain.rubrics import rubric_of, store_bundled
from kaoping.campaigns.domain.stored import Submission, store_submissions
from kaoping.campaigns.enums import CampaignState, StageKind
from kaoping.campaigns.models import (
    Assignment,
    Campaign,
    CampaignRubric,
    CampaignTransition,
    CustomItem,
    Participant,
    ScoreSheet,
    Stage,
)
from kaoping.orgs.enums import OrgKind
from kaoping.orgs.models import Organization
from kaoping.scoring import score_sheet

SEED = 4004
YEAR = 2026
COUNTY_CAMPAIGN = "X县2026年度基层党建观摩测评（演示）"
STEEL_CAMPAIGN = "西宁特钢集团2026年度党支部以评促建考评（演示）"
RATER_HOME = "省委组织部机关党委"  # outside both demo roots' subtrees
RATERS = (("demo-rater", "王海燕"), ("demo-rater-2", "赵明"), ("demo-rater-3", "孙丽"))
BRANCH_PREFIX = "demo-org-"
TWO_NEW = (OrgKind.PRIVATE_ENTERPRISE, OrgKind.SOCIAL_ORGANIZATION)
REASONS = (
    "台账记录不完整", "会议记录缺少签到", "制度未上墙", "活动开展次数不足", "资料归档不规范",
    "党员发展程序材料不全", "三会一课记录简单", "阵地标识不统一", "公开栏内容未及时更新",
    "党费收缴记录不清", "服务项目设置不科学", "群众知晓率不高",
)  # fmt: skip
# Demo wording of the 15 common slots (seed 003 gives only the four groups and the count).
COMMON_SLOTS = {
    "C1": ("【演示】支部委员会按期换届、配备齐全", "【演示】书记履行第一责任人职责",
           "【演示】班子成员落实“一岗双责”", "【演示】班子议事决策规范"),
    "C2": ("【演示】党员教育培训按计划开展", "【演示】发展党员程序规范",
           "【演示】党员在生产经营中发挥先锋作用", "【演示】党员管理和组织关系接转规范"),
    "C3": ("【演示】“三会一课”制度落实", "【演示】组织生活会和民主评议党员规范",
           "【演示】主题党日活动常态开展", "【演示】党务公开及时准确"),
    "C4": ("【演示】活动阵地和标识规范", "【演示】党费收缴使用管理规范",
           "【演示】党建工作经费有保障"),
}  # fmt: skip
CUSTOM_TOPICS = (
    "安全生产党员示范岗", "降本增效攻关", "质量提升党员责任区", "技术革新小组", "节能降耗项目",
    "班组建设", "设备点检党员先锋队", "产品交付准时率", "青年员工传帮带", "现场6S管理",
)  # fmt: skip


@dataclass
class CampaignsLoaded:
    campaigns: list[str] = field(default_factory=list)
    users: int = 0
    sheets: int = 0


def _roots():
    from kaoping.core.demo.loader import demo_roots

    return demo_roots()


def demo_campaigns():
    """The demo campaigns present in the database."""
    return Campaign.objects.filter(name__in=(COUNTY_CAMPAIGN, STEEL_CAMPAIGN))


def demo_usernames() -> list[str]:
    return list(User.objects.filter(username__startswith=BRANCH_PREFIX).values_list(
        "username", flat=True)) + [u for u, _ in RATERS[1:]]  # fmt: skip


@transaction.atomic
def remove_demo_campaigns() -> int:
    """Delete the demo campaigns and the accounts made for them (not the demo ACCOUNTS)."""
    count = demo_campaigns().count()
    demo_campaigns().delete()
    User.objects.filter(username__in=demo_usernames()).delete()
    return count


@transaction.atomic
def load_demo_campaigns() -> CampaignsLoaded:
    """Create whichever demo campaign is missing (both on a freshly loaded demo)."""
    loaded = CampaignsLoaded()
    roots = _roots()
    if "county" not in roots or "steel" not in roots:
        return loaded
    existing = set(demo_campaigns().values_list("name", flat=True))
    rng = random.Random(SEED)
    if COUNTY_CAMPAIGN not in existing:
        _county(roots["county"], rng, loaded)
    rng = random.Random(SEED + 1)
    if STEEL_CAMPAIGN not in existing:
        _steel(roots["steel"], rng, loaded)
    return loaded


# ---------------------------------------------------------------------------- accounts


def _password() -> str:
    # Every demo account shares the printed password; reuse its hash (PBKDF2 is slow).
    return User.objects.filter(username="demo-county").values_list("password", flat=True).first()


def _raters(root, loaded) -> list[User]:
    home = Organization.objects.filter(name=RATER_HOME).first()
    users = {u.username: u for u in User.objects.filter(username__in=[u for u, _ in RATERS])}
    new = [User(username=name, full_name=full, password=_password())
           for name, full in RATERS if name not in users]  # fmt: skip
    for user in User.objects.bulk_create(new):
        users[user.username] = user
    loaded.users += len(new)
    raters = [users[name] for name, _ in RATERS]
    User.objects.filter(pk__in=[u.pk for u in raters]).update(home_organization=home)
    for user in raters:
        Role.objects.get_or_create(user=user, organization=root, kind=RoleKind.RATER)
    return raters


def _branch_users(orgs, loaded) -> dict[int, User]:
    """One branch user per organization: an existing one (demo-village) or demo-org-<pk>."""
    found = {
        r.organization_id: r.user
        for r in Role.objects.filter(kind=RoleKind.BRANCH_USER, organization__in=orgs)
        .select_related("user").order_by("pk")
    }  # fmt: skip
    missing = [o for o in orgs if o.pk not in found]
    password = _password()
    created = User.objects.bulk_create(
        User(username=f"{BRANCH_PREFIX}{o.pk}", full_name=o.secretary or o.name,
             password=password, home_organization=o)
        for o in missing
    )  # fmt: skip
    Role.objects.bulk_create(
        Role(user=u, organization=o, kind=RoleKind.BRANCH_USER)
        for u, o in zip(created, missing, strict=True)
    )
    loaded.users += len(created)
    found.update({o.pk: u for o, u in zip(missing, created, strict=True)})
    return found


# ---------------------------------------------------------------------------- building


def _campaign(root, name, kinds, rubrics, organizer, description) -> Campaign:
    campaign = Campaign.objects.create(
        name=name, year=YEAR, period_start=datetime.date(YEAR, 1, 1),
        period_end=datetime.date(YEAR, 12, 31), scope=root, participant_kinds=list(kinds),
        created_by=organizer, description=description,
    )  # fmt: skip
    stored = {kind: store_bundled(rubric_id) for kind, rubric_id in rubrics.items()}
    CampaignRubric.objects.bulk_create(
        CampaignRubric(campaign=campaign, org_kind=k, rubric=r) for k, r in stored.items()
    )
    orgs = list(Organization.objects.within([root]).filter(kind__in=kinds).order_by("path"))
    Participant.objects.bulk_create(
        Participant(campaign=campaign, organization=o, rubric=stored[o.kind]) for o in orgs
    )
    return campaign


def _stage(campaign, kind, name, position, start, end, **extra) -> Stage:
    return Stage.objects.create(
        campaign=campaign, kind=kind, name=name, position=position,
        starts_on=datetime.date(YEAR, *start), ends_on=datetime.date(YEAR, *end), **extra,
    )  # fmt: skip


def _close(campaign, organizer) -> None:
    CampaignTransition.objects.bulk_create([
        CampaignTransition(campaign=campaign, from_state=CampaignState.DRAFT,
                           to_state=CampaignState.OPEN, by=organizer),
        CampaignTransition(campaign=campaign, from_state=CampaignState.OPEN,
                           to_state=CampaignState.CLOSED, by=organizer),
    ])  # fmt: skip
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.CLOSED)
    campaign.state = CampaignState.CLOSED


@dataclass
class _Sheet:
    assignment: Assignment
    entries: dict
    custom: dict | None = None


def _store(sheets: list[_Sheet], loaded) -> None:
    """Score every sheet with the core and store it as submission does (`store_submissions`:
    the same rows as `store_submission`, in bulk)."""
    Assignment.objects.bulk_create([s.assignment for s in sheets])
    submissions = []
    for sheet in sheets:
        participant = sheet.assignment.participant
        result = score_sheet(rubric_of(participant.rubric), sheet.entries,
                             custom_items=sheet.custom, org_kind=participant.organization.kind)  # fmt: skip
        submissions.append(Submission(sheet=ScoreSheet(assignment=sheet.assignment),
                                      values=sheet.entries, result=result,
                                      by=sheet.assignment.rater))  # fmt: skip
    loaded.sheets += len(store_submissions(submissions))


def _deductions(rng, rubric, *, count, harsh=Decimal(1)) -> dict:
    """`count` deduction entries on random items: plausible amounts (0.1 steps) and reasons."""
    entries = {}
    codes = sorted(rng.sample(list(rubric.items), count))
    for code in codes:
        top = min(rubric.items[code].max_points, Decimal(2))
        amount = min(top, (Decimal(rng.randint(1, int(top * 10))) / 10 * harsh).quantize(
            Decimal("0.1")))  # fmt: skip
        if amount > 0:
            entries[code] = {"deductions": [{"amount": str(amount), "reason": rng.choice(REASONS)}]}
    return entries


def _county(root, rng, loaded) -> None:
    organizer = User.objects.get(username="demo-county")
    kinds = (OrgKind.VILLAGE, OrgKind.COMMUNITY, *TWO_NEW)
    rubrics = {OrgKind.VILLAGE: "seed001-village-community",
               OrgKind.COMMUNITY: "seed001-village-community",
               OrgKind.PRIVATE_ENTERPRISE: "seed001-two-new-organizations",
               OrgKind.SOCIAL_ORGANIZATION: "seed001-two-new-organizations"}  # fmt: skip
    campaign = _campaign(root, COUNTY_CAMPAIGN, kinds, rubrics, organizer,
                         "演示数据：自查自评后，由三名县外评分人全面考评，去掉最高分和最低分后排名。")  # fmt: skip
    own = _stage(campaign, StageKind.SELF_ASSESSMENT, "自查自评", 1, (10, 8), (10, 31), weight=0)
    review = _stage(campaign, StageKind.FULL_REVIEW, "全面考评", 2, (11, 2), (11, 30),
                    method="trimmed", trim=1, weight=1)  # fmt: skip
    participants = list(campaign.participants.select_related("organization", "rubric"))
    users = _branch_users([p.organization for p in participants], loaded)
    raters = _raters(root, loaded)
    strictness = [Decimal("0.8"), Decimal("1"), Decimal("1.3")]
    sheets = []
    for participant in participants:
        rubric = rubric_of(participant.rubric)
        weakness = rng.randint(2, 9) + (6 if participant.organization.is_weak else 0)
        own_user = users[participant.organization_id]
        sheets.append(_Sheet(Assignment(stage=own, participant=participant, rater=own_user,
                                        source=Assignment.Source.SELF),
                             _deductions(rng, rubric, count=max(1, weakness // 3))))  # fmt: skip
        for rater, harsh in zip(raters, strictness, strict=True):
            count = max(1, weakness + rng.randint(-2, 2))
            sheets.append(_Sheet(Assignment(stage=review, participant=participant, rater=rater),
                                 _deductions(rng, rubric, count=count, harsh=harsh)))  # fmt: skip
    _store(sheets, loaded)
    _close(campaign, organizer)
    publish(campaign=campaign, by=organizer, note="演示：全面考评结果通报")
    loaded.campaigns.append(campaign.name)


def _steel(root, rng, loaded) -> None:
    organizer = User.objects.get(username="demo-steel")
    kinds = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)
    rubrics = dict.fromkeys(kinds, "seed003-branch-compliance")
    campaign = _campaign(root, STEEL_CAMPAIGN, kinds, rubrics, organizer,
                         "演示数据：共性指标措辞为演示文字；个性指标由各支部填写；三名评分人全面考评。")  # fmt: skip
    review = _stage(campaign, StageKind.FULL_REVIEW, "全面考评", 1, (11, 2), (11, 30),
                    method="trimmed", trim=1, weight=1)  # fmt: skip
    participants = list(campaign.participants.select_related("organization", "rubric"))
    users = _branch_users([p.organization for p in participants], loaded)
    raters = _raters(root, loaded)
    vetoed = {participants[3].pk: "V3", participants[11].pk: "V4"}
    items, sheets = [], []
    for participant in participants:
        custom = {code: [{"code": f"{code}-{n}", "text": text}
                         for n, text in enumerate(texts, start=1)]
                  for code, texts in COMMON_SLOTS.items()}  # fmt: skip
        topics = rng.sample(CUSTOM_TOPICS, 5)
        custom["I"] = [{"code": f"I-{n}", "text": f"{topic}（{participant.organization.short_name}）"}
                       for n, topic in enumerate(topics, start=1)]  # fmt: skip
        for code, slots in custom.items():
            writer = organizer if code != "I" else users[participant.organization_id]
            items.extend(CustomItem(participant=participant, item_code=code, slot_code=s["code"],
                                    text=s["text"], written_by=writer) for s in slots)  # fmt: skip
        level = rng.randint(30, 48)  # tenths of a point per slot, before each rater's spread
        for position, rater in enumerate(raters):
            entries = {
                code: {"slots": {s["code"]: {"score": str(Decimal(min(50, max(0, level + rng.randint(-6, 4)))) / 10)}
                                 for s in slots}}
                for code, slots in custom.items()
            }  # fmt: skip
            veto = vetoed.get(participant.pk) if position == 0 else None
            for code in ("V1", "V2", "V3", "V4", "V5", "V6", "V7"):
                entries[code] = {"triggered": code == veto}
                if code == veto:
                    entries[code]["note"] = "【演示】现场检查发现该情形"
            sheets.append(_Sheet(Assignment(stage=review, participant=participant, rater=rater),
                                 entries, custom))  # fmt: skip
    CustomItem.objects.bulk_create(items, batch_size=500)
    _store(sheets, loaded)
    _close(campaign, organizer)
    recompute_results(campaign=campaign)
    loaded.campaigns.append(campaign.name)


def who_sees() -> list[tuple[str, str]]:
    """(campaign, accounts) lines for the demo command's output."""
    return [
        (COUNTY_CAMPAIGN, _(
            "demo-county (organizer), demo-rater / demo-rater-2 / demo-rater-3 (raters), "
            "demo-village (东关村, its own result), demo-org-<id> (each organization's branch user)"
        )),
        (STEEL_CAMPAIGN, _(
            "demo-steel (organizer; closed: publish it), demo-rater / demo-rater-2 / demo-rater-3 "
            "(raters)"
        )),
    ]  # fmt: skip
