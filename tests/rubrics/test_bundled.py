"""The bundle as a whole: every file loads and validates; the package's helpers."""

import pytest
import yaml

from kaoping.rubrics import BUNDLED_DIR, bundled_rubric_paths, list_bundled, load_bundled
from kaoping.scoring import RubricError, load_rubric, parse_rubric

EXPECTED_IDS = [
    "seed000-model-organ-branch",
    "seed001-two-new-organizations",
    "seed001-village-community",
    "seed002-model-organ-evaluation",
    "seed003-branch-compliance",
    "seed004-five-star",
]


def test_bundled_paths_are_the_six_standards():
    assert [path.stem for path in bundled_rubric_paths()] == EXPECTED_IDS
    assert all(path.parent == BUNDLED_DIR for path in bundled_rubric_paths())


@pytest.mark.parametrize("path", bundled_rubric_paths(), ids=lambda path: path.stem)
def test_every_file_loads_and_validates(path):
    rubric = load_rubric(path)

    assert rubric.id == path.stem
    assert rubric.version >= 1
    assert rubric.title and rubric.issuer and rubric.applies_to
    assert rubric.source.startswith("seeds/")


def test_list_bundled_loads_all_in_file_order():
    assert [rubric.id for rubric in list_bundled()] == EXPECTED_IDS


def test_load_bundled_by_id():
    assert load_bundled("seed004-five-star").full_marks == 120


@pytest.mark.parametrize(
    "bad", ["nope", "../pyproject", "duty_lists/shaoxing-2020-organ-secretary"]
)
def test_load_bundled_unknown_id_raises_key_error(bad):
    with pytest.raises(KeyError):
        load_bundled(bad)


@pytest.mark.parametrize("path", bundled_rubric_paths(), ids=lambda path: path.stem)
def test_item_texts_are_non_empty_and_without_points_annotations(path):
    rubric = load_rubric(path)
    for item in rubric.items.values():
        assert item.text.strip(), item.code
        # points are the item's max, not part of its text
        assert not item.text.rstrip("。").endswith("分）"), item.code
        assert "(" not in item.text and ")" not in item.text, item.code


def _strings(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)
    elif isinstance(data, str):
        yield data


@pytest.mark.parametrize("path", bundled_rubric_paths(), ids=lambda path: path.stem)
def test_texts_are_in_simplified_characters(path):
    # a few traditional forms frequent in seed 001's copy, and its pinyin-reading artefacts
    text = "".join(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    for traditional in ("黨", "組織", "員", "規範", "臺賬", "發", "觀摩", "(fā)", "(zhī)"):
        assert traditional not in text


def test_an_invalid_copy_is_refused_with_every_problem():
    data = yaml.safe_load((BUNDLED_DIR / "seed001-village-community.yaml").read_text("utf-8"))
    data["step"] = "0.1"  # safe_load read it as a float, which the engine refuses
    data["sections"][0]["items"][0]["max"] = 4  # 一 would add up to 26
    data["sections"][1]["items"][0]["rule"] = {"kind": "no-such-kind"}

    with pytest.raises(RubricError) as caught:
        parse_rubric(data, source="copy")

    found = {(problem.code, problem.kind) for problem in caught.value.problems}
    assert found == {("一", "section_sum"), ("2.1", "unknown_kind")}
