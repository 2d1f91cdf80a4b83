"""The demo data as plain values: three organization trees and the demo accounts.

Nothing here touches the database. `build_trees()` draws every generated detail (secretaries,
member counts, founding dates, how many branches a unit has) from one `random.Random(SEED)`, in a
fixed order, so every load gives the same names and counts.

Sources (see `shared/seeds/`):
- 002: the 85 provincial units of attachment 1 (transcribed in `PROVINCIAL_UNITS`);
- 001: a county whose townships (乡镇) hold villages, communities and "两新" organizations;
- 003: 西宁特钢集团党委 with its general branches (党总支) and branches (党支部).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from kaoping.accounts.enums import AdminRole, RoleKind
from kaoping.orgs.enums import OrgKind

SEED = 2026
PASSWORD = "Kaoping@2026"
LOGIN_URL = "http://127.0.0.1:8000/login/"

# Seed 002, attachment 1: 省直机关营造"三个氛围"创建模范机关单位名单 (共 85 家), in the document's order.
PROVINCIAL_UNITS = (
    "省委办公厅",
    "省人大机关",
    "省政府办公厅",
    "省政协机关",
    "省纪委监委机关",
    "省委组织部",
    "省委宣传部",
    "省委统战部",
    "省委政法委",
    "省委政研室",
    "省委改革办",
    "省委网信办",
    "省委外办",
    "省委编办",
    "省委军民融合办",
    "省委直属机关工委",
    "省委老干部局",
    "省委党史研究室",
    "省档案馆",
    "省委党校",
    "河南日报报业集团",
    "省社会主义学院",
    "省总工会",
    "团省委",
    "省妇联",
    "省科协",
    "省社科联",
    "省侨联",
    "省工商联",
    "省文联",
    "省残联",
    "省高级人民法院",
    "省人民检察院",
    "省发展改革委",
    "省教育厅",
    "省科技厅",
    "省工业和信息化厅",
    "省民族宗教委",
    "省公安厅",
    "省民政厅",
    "省司法厅",
    "省财政厅",
    "省人力资源社会保障厅",
    "省自然资源厅",
    "省生态环境厅",
    "省住房城乡建设厅",
    "省交通运输厅",
    "省水利厅",
    "省农业农村厅",
    "省商务厅",
    "省文化和旅游厅",
    "省卫生健康委",
    "省退役军人厅",
    "省应急厅",
    "省审计厅",
    "省政府国资委",
    "省市场监管局",
    "省广电局",
    "省体育局",
    "省统计局",
    "省粮食和储备局",
    "省医保局",
    "省事管局",
    "省人防办",
    "省地方金融监管局",
    "省政府研究室",
    "省扶贫办",
    "省信访局",
    "省接待办",
    "省科学院",
    "省社科院",
    "省农科院",
    "省有色地矿局",
    "省地矿局",
    "省供销社",
    "省公共资源交易中心",
    "河南广播电视台",
    "省煤田地质局",
    "省农信联社",
    "省委台办",
    "省大数据局",
    "省林业局",
    "省药监局",
    "省史志办",
    "省红十字会",
)

SURNAMES = tuple("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏")
GIVEN_NAMES = (
    "伟",
    "芳",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "辉",
    "建华",
    "志强",
    "海燕",
    "晓东",
    "红梅",
    "卫东",
    "国庆",
    "文博",
    "振华",
    "建国",
    "丽华",
    "玉兰",
    "俊峰",
    "春生",
    "秀英",
    "桂芳",
    "立新",
    "雪梅",
    "永刚",
    "慧敏",
    "金凤",
    "宏伟",
    "亚楠",
    "保民",
)

# Offices of a provincial department that commonly form their own branch.
DEPARTMENTS = (
    "办公室",
    "人事处",
    "财务处",
    "政策法规处",
    "综合处",
    "规划处",
    "机关服务中心",
    "信息中心",
    "离退休干部",
)
ORDINALS = ("第一", "第二", "第三", "第四", "第五")

# 省水利厅 gets fixed branches: seed 000 is its 机关党委's observation campaign.
FIXED_UNIT_BRANCHES = {
    "省水利厅": ("办公室", "规划计划处", "水资源处", "水文水资源局"),
}

COUNTY = "X县"
# Seed 001: townships (乡镇) with villages, communities and "两新" organizations. A ! marks a weak
# organization (软弱涣散党组织).
TOWNSHIPS = (
    {
        "name": "城关镇",
        "villages": ("东关村", "西关村", "南关村", "北关村", "城东村", "十里铺村"),
        "communities": ("解放路社区", "人民路社区", "文化路社区", "!建设路社区"),
        "enterprises": ("宏达建材有限公司", "华源纺织有限公司", "顺通物流有限公司"),
        "social": ("个体私营经济协会", "阳光幼儿园"),
    },
    {
        "name": "柳河镇",
        "villages": ("柳河村", "张庄村", "李营村", "!王楼村", "前进村", "红旗村", "杨湾村"),
        "communities": ("柳河社区",),
        "enterprises": ("柳河面粉有限公司", "金穗农业科技有限公司"),
        "social": ("柳河镇老年协会",),
    },
    {
        "name": "石桥乡",
        "villages": ("石桥村", "大刘庄村", "小刘庄村", "黄岗村", "枣林村", "!马寨村"),
        "communities": ("石桥社区",),
        "enterprises": ("石桥石材有限公司",),
        "social": ("石桥乡农村电商协会",),
    },
)

# Seed 003: the group committee, its general branches with their branches, and branches that
# report to the group committee directly.
STEEL_GROUP = "西宁特钢集团"
STEEL_GENERAL_BRANCHES = (
    ("炼铁分公司", ("原料车间", "烧结车间", "高炉车间", "机关")),
    ("炼钢分公司", ("电炉车间", "转炉车间", "精炼车间")),
    ("轧钢分公司", ("大棒材车间", "小棒材车间", "线材车间", "精整车间")),
    ("动力能源中心", ("供电车间", "供水车间", "燃气车间")),
    ("物流运输公司", ("铁路运输车间", "汽车运输车间", "仓储车间")),
)
STEEL_DIRECT_BRANCHES = ("集团机关第一", "集团机关第二", "技术中心", "质量检验中心")


@dataclass
class OrgSpec:
    """One organization to create, with its children."""

    name: str
    kind: str
    short_name: str = ""
    secretary: str = ""
    contact: str = ""
    member_count: int | None = None
    founded_on: datetime.date | None = None
    is_weak: bool = False
    children: list[OrgSpec] = field(default_factory=list)

    def walk(self):
        """This organization and all its descendants, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()

    def size(self) -> int:
        return sum(1 for _ in self.walk())

    def find(self, name: str) -> OrgSpec:
        for spec in self.walk():
            if spec.name == name:
                return spec
        raise KeyError(name)

    def model_fields(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "short_name": self.short_name,
            "secretary": self.secretary,
            "contact": self.contact,
            "member_count": self.member_count,
            "founded_on": self.founded_on,
            "is_weak": self.is_weak,
        }


class _Draw:
    """The demo's one source of randomness; call order decides every value."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN_NAMES)

    def date(self, first_year: int, last_year: int) -> datetime.date:
        start = datetime.date(first_year, 1, 1).toordinal()
        end = datetime.date(last_year, 12, 31).toordinal()
        return datetime.date.fromordinal(self.rng.randint(start, end))

    def members(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)


def _leaf(draw: _Draw, name, kind, short_name, members, years, weak=False) -> OrgSpec:
    return OrgSpec(
        name=name,
        kind=kind,
        short_name=short_name,
        secretary=draw.person(),
        contact=draw.person(),
        member_count=draw.members(*members),
        founded_on=draw.date(*years),
        is_weak=weak,
    )


def _committee(draw: _Draw, name, kind, short_name, years, children) -> OrgSpec:
    """A committee whose member count is its children's sum."""
    return OrgSpec(
        name=name,
        kind=kind,
        short_name=short_name,
        secretary=draw.person(),
        contact=draw.person(),
        member_count=sum(child.member_count or 0 for child in children),
        founded_on=draw.date(*years),
        children=children,
    )


def _unit_branch_labels(draw: _Draw, unit: str) -> list[str]:
    if unit in FIXED_UNIT_BRANCHES:
        return list(FIXED_UNIT_BRANCHES[unit])
    count = draw.rng.randint(2, 5)
    if draw.rng.random() < 0.5:
        return [f"机关{ordinal}" for ordinal in ORDINALS[:count]]
    chosen = set(draw.rng.sample(DEPARTMENTS, count))
    return [d for d in DEPARTMENTS if d in chosen]


def province_tree(draw: _Draw) -> OrgSpec:
    units = []
    for unit in PROVINCIAL_UNITS:
        branches = [
            _leaf(
                draw,
                f"{unit}{label}党支部",
                OrgKind.BRANCH,
                f"{label}党支部",
                (6, 45),
                (1985, 2019),
            )
            for label in _unit_branch_labels(draw, unit)
        ]
        units.append(
            _committee(
                draw, f"{unit}机关党委", OrgKind.ORGAN_COMMITTEE, unit, (1978, 2000), branches
            )
        )
    return _committee(
        draw,
        "中共河南省委直属机关工作委员会",
        OrgKind.WORKING_COMMITTEE,
        "省直机关工委",
        (1954, 1954),
        units,
    )


def _weak(label: str) -> tuple[str, bool]:
    return (label[1:], True) if label.startswith("!") else (label, False)


def county_tree(draw: _Draw) -> OrgSpec:
    townships = []
    for township in TOWNSHIPS:
        children = []
        for label in township["villages"]:
            village, weak = _weak(label)
            children.append(
                _leaf(
                    draw, f"{village}党支部", OrgKind.VILLAGE, village, (12, 68), (1950, 1995), weak
                )
            )
        for label in township["communities"]:
            community, weak = _weak(label)
            children.append(
                _leaf(
                    draw,
                    f"{community}党支部",
                    OrgKind.COMMUNITY,
                    community,
                    (15, 90),
                    (1985, 2015),
                    weak,
                )
            )
        for company in township["enterprises"]:
            children.append(
                _leaf(
                    draw,
                    f"{COUNTY}{company}党支部",
                    OrgKind.PRIVATE_ENTERPRISE,
                    company,
                    (3, 25),
                    (2005, 2020),
                )
            )
        for body in township["social"]:
            children.append(
                _leaf(
                    draw,
                    f"{COUNTY}{body}党支部",
                    OrgKind.SOCIAL_ORGANIZATION,
                    body,
                    (3, 15),
                    (2010, 2020),
                )
            )
        name = township["name"]
        townships.append(
            _committee(draw, f"{name}党委", OrgKind.PARTY_COMMITTEE, name, (1956, 1984), children)
        )
    return _committee(
        draw, f"中共{COUNTY}委员会", OrgKind.PARTY_COMMITTEE, f"{COUNTY}委", (1949, 1949), townships
    )


def steel_tree(draw: _Draw) -> OrgSpec:
    children = []
    for company, workshops in STEEL_GENERAL_BRANCHES:
        branches = [
            _leaf(
                draw,
                f"{company}{shop}党支部",
                OrgKind.BRANCH,
                f"{shop}党支部",
                (8, 40),
                (1970, 2015),
            )
            for shop in workshops
        ]
        children.append(
            _committee(
                draw, f"{company}党总支", OrgKind.GENERAL_BRANCH, company, (1964, 2000), branches
            )
        )
    for label in STEEL_DIRECT_BRANCHES:
        children.append(
            _leaf(
                draw,
                f"{STEEL_GROUP}{label}党支部",
                OrgKind.BRANCH,
                f"{label}党支部",
                (10, 45),
                (1964, 2010),
            )
        )
    return _committee(
        draw,
        f"中共{STEEL_GROUP}公司委员会",
        OrgKind.PARTY_COMMITTEE,
        f"{STEEL_GROUP}党委",
        (1964, 1964),
        children,
    )


def build_trees() -> dict[str, OrgSpec]:
    """The three demo trees by key, always the same."""
    draw = _Draw(SEED)
    return {
        "province": province_tree(draw),
        "county": county_tree(draw),
        "steel": steel_tree(draw),
    }


@dataclass(frozen=True)
class AccountSpec:
    username: str
    full_name: str
    role: str
    tree: str  # key in build_trees()
    scope: str  # an organization name within that tree


ACCOUNTS = (
    AccountSpec(
        "demo-province", "周志强", RoleKind.ORGANIZER, "province", "中共河南省委直属机关工作委员会"
    ),
    AccountSpec("demo-county", "李卫东", RoleKind.ORGANIZER, "county", f"中共{COUNTY}委员会"),
    AccountSpec(
        "demo-steel", "马俊峰", RoleKind.ORGANIZER, "steel", f"中共{STEEL_GROUP}公司委员会"
    ),
    AccountSpec("demo-rater", "王海燕", RoleKind.RATER, "county", f"中共{COUNTY}委员会"),
    AccountSpec("demo-village", "张建国", RoleKind.BRANCH_USER, "county", "东关村党支部"),
    AccountSpec("demo-branch", "刘雪梅", RoleKind.BRANCH_USER, "province", "省水利厅办公室党支部"),
    AccountSpec(
        "demo-viewer", "陈立新", RoleKind.VIEWER, "province", "中共河南省委直属机关工作委员会"
    ),
)


@dataclass(frozen=True)
class AdminAccountSpec:
    """A demo administrator of 三员分立: no organization, no business role."""

    username: str
    full_name: str
    admin_role: str


ADMIN_ACCOUNTS = (
    AdminAccountSpec("demo-sysadmin", "赵系统", AdminRole.SYSTEM),
    AdminAccountSpec("demo-secadmin", "钱安全", AdminRole.SECURITY),
    AdminAccountSpec("demo-auditor", "孙审计", AdminRole.AUDIT),
)
