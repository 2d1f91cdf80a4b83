"""The bundled standards: one YAML rubric file per source document, plus the duty lists.

Pure Python, no Django. The rubric files are validated by the scoring engine's loader
(``kaoping.scoring.load_rubric``), imported lazily so that this module imports on its own.

- ``BUNDLED_DIR``: the folder holding the rubric files (``*.yaml``).
- ``bundled_rubric_paths()``: their paths, sorted by file name.
- ``load_bundled(rubric_id)``: one rubric, validated, by its id (the file name without ``.yaml``).
- ``list_bundled()``: every bundled rubric, validated, in file-name order.
- ``load_duty_lists()``: the three 责任清单 of seed 004 (see ``duty_lists/README.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

BUNDLED_DIR = Path(__file__).resolve().parent
DUTY_LISTS_DIR = BUNDLED_DIR / "duty_lists"

__all__ = [
    "BUNDLED_DIR",
    "DUTY_LISTS_DIR",
    "DutyCategory",
    "DutyItem",
    "DutyList",
    "DutyListError",
    "bundled_rubric_paths",
    "list_bundled",
    "load_bundled",
    "load_duty_list",
    "load_duty_lists",
]


# --- rubrics ---------------------------------------------------------------------------------


def bundled_rubric_paths() -> list[Path]:
    """The bundled rubric files, sorted by file name."""
    return sorted(BUNDLED_DIR.glob("*.yaml"))


def load_bundled(rubric_id: str):
    """Load and validate the bundled rubric whose id (file name without ``.yaml``) is given.

    Raises ``KeyError`` for an unknown id and the engine's ``RubricError`` for an invalid file.
    """
    from kaoping.scoring import load_rubric

    path = BUNDLED_DIR / f"{rubric_id}.yaml"
    if "/" in rubric_id or "\\" in rubric_id or not path.is_file():
        known = ", ".join(p.stem for p in bundled_rubric_paths())
        raise KeyError(f"no bundled rubric {rubric_id!r} (known: {known})")
    return load_rubric(path)


def list_bundled() -> list:
    """Every bundled rubric, loaded and validated, in file-name order."""
    from kaoping.scoring import load_rubric

    return [load_rubric(path) for path in bundled_rubric_paths()]


# --- duty lists (责任清单) ----------------------------------------------------------------------

DUTY_LEVELS = ("department_secretary", "organ_secretary", "branch_secretary")


class DutyListError(ValueError):
    """A duty-list file is invalid; ``problems`` lists every problem found."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = list(problems)
        super().__init__(f"{self.path}: " + "; ".join(self.problems))


@dataclass(frozen=True)
class DutyItem:
    number: int
    text: str


@dataclass(frozen=True)
class DutyCategory:
    name: str
    items: tuple[DutyItem, ...]


@dataclass(frozen=True)
class DutyList:
    id: str
    collection: str
    title: str
    number: int
    level: str
    issuer: str
    document: str
    year: int
    source: str
    columns: tuple[str, ...]
    categories: tuple[DutyCategory, ...]
    custom_min_count: int
    filing_deadline_month: int
    filing_text: str
    notes: tuple[str, ...]
    signature: tuple[str, ...]

    @property
    def items(self) -> tuple[DutyItem, ...]:
        """Every common item, in document order."""
        return tuple(item for category in self.categories for item in category.items)


def _text(data: dict, key: str, problems: list[str], where: str = "") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}{key}: a non-empty text is required")
        return ""
    return value.strip()


def _int(data: dict, key: str, problems: list[str], lo: int, hi: int, where: str = "") -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        problems.append(f"{where}{key}: an integer from {lo} to {hi} is required, got {value!r}")
        return 0
    return value


def _texts(data: dict, key: str, problems: list[str]) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{key}: a list of non-empty texts is required")
        return ()
    return tuple(v.strip() for v in value)


def _categories(data: Any, problems: list[str]) -> tuple[DutyCategory, ...]:
    if not isinstance(data, list) or not data:
        problems.append("common: a non-empty list of categories is required")
        return ()
    categories = []
    expected = 1
    for ci, raw in enumerate(data, start=1):
        where = f"common[{ci}]."
        if not isinstance(raw, dict):
            problems.append(f"common[{ci}]: a mapping with category and items is required")
            continue
        name = _text(raw, "category", problems, where)
        raw_items = raw.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            problems.append(f"{where}items: a non-empty list is required")
            raw_items = []
        items = []
        for raw_item in raw_items:
            if not isinstance(raw_item, dict):
                problems.append(f"{where}items: each item must be a mapping with number and text")
                continue
            number = raw_item.get("number")
            item_where = f"item {number}: "
            text = _text(raw_item, "text", problems, item_where)
            if number != expected or isinstance(number, bool):
                problems.append(f"{item_where}expected item number {expected} here")
            expected += 1  # numbers run 1…N by position, so one wrong number is one problem
            items.append(DutyItem(number=number, text=text))
        categories.append(DutyCategory(name=name, items=tuple(items)))
    return tuple(categories)


def parse_duty_list(data: Any, path: Path | str) -> DutyList:
    """Validate the data of one duty-list file; raise ``DutyListError`` listing every problem."""
    path = Path(path)
    if not isinstance(data, dict):
        raise DutyListError(path, ["the file must hold a mapping"])
    problems: list[str] = []
    list_id = _text(data, "id", problems)
    if list_id and list_id != path.stem:
        problems.append(f"id: {list_id!r} must equal the file name {path.stem!r}")
    level = data.get("level")
    if level not in DUTY_LEVELS:
        problems.append(f"level: one of {', '.join(DUTY_LEVELS)} is required, got {level!r}")
    custom = data.get("custom") if isinstance(data.get("custom"), dict) else {}
    filing = data.get("filing") if isinstance(data.get("filing"), dict) else {}
    duty_list = DutyList(
        id=list_id,
        collection=_text(data, "collection", problems),
        title=_text(data, "title", problems),
        number=_int(data, "number", problems, 1, 3),
        level=level,
        issuer=_text(data, "issuer", problems),
        document=_text(data, "document", problems),
        year=_int(data, "year", problems, 1921, 9999),
        source=_text(data, "source", problems),
        columns=_texts(data, "columns", problems),
        categories=_categories(data.get("common"), problems),
        custom_min_count=_int(custom, "min_count", problems, 1, 99, "custom."),
        filing_deadline_month=_int(filing, "deadline_month", problems, 1, 12, "filing."),
        filing_text=_text(filing, "text", problems, "filing."),
        notes=_texts(data, "notes", problems),
        signature=_texts(data, "signature", problems),
    )
    if problems:
        raise DutyListError(path, problems)
    return duty_list


def load_duty_list(path: Path | str) -> DutyList:
    """Load and validate one duty-list file."""
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return parse_duty_list(data, path)


def load_duty_lists() -> list[DutyList]:
    """The bundled duty lists (the three 三级书记责任清单 of seed 004), in document order."""
    lists = [load_duty_list(path) for path in sorted(DUTY_LISTS_DIR.glob("*.yaml"))]
    return sorted(lists, key=lambda duty_list: duty_list.number)
