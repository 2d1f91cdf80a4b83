"""Pinyin keys for searching organization names ("hns" finds 河南省…)."""

from pypinyin import Style, lazy_pinyin


def pinyin_keys(name: str) -> tuple[str, str]:
    """Return (full pinyin without spaces, initials), both lower case.

    Letters and digits in the name are kept as they are so "X县" gives "xx".
    """
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors=lambda chars: list(chars))
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables if s and s[0].isalnum()).lower()
    return full[:1000], initials[:200]
