"""Chinese and ISO dates parse in forms (Django's own zh_Hans input formats cannot)."""

import datetime

import pytest
from django import forms
from django.utils import translation


class DateForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "typed",
    ["2026年3月31日", "2026年03月31日", "2026-03-31", "2026/3/31", "2026.03.31", "20260331"],
)
def test_date_field_parses_typed_forms(language, typed):
    with translation.override(language):
        form = DateForm({"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 3, 31)


def test_date_field_rejects_impossible_chinese_date():
    with translation.override("zh-hans"):
        form = DateForm({"day": "2026年2月30日"})
        assert not form.is_valid()


def test_date_displayed_in_chinese_form():
    from django.utils.formats import date_format

    with translation.override("zh-hans"):
        assert date_format(datetime.date(2026, 3, 31)) == "2026年3月31日"
