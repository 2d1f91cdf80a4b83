def cn_date(day) -> str:
    """A date as official documents write it: 2026年3月31日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
