"""Small bar charts as PNG, drawn with Pillow (no plotting dependency for two charts).

Labels use a CJK font when the system has one (Noto CJK on Debian); otherwise Pillow's default
font, which cannot draw Chinese — the document's caption names the bars then.
"""

from __future__ import annotations

import glob
import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT, MARGIN = 1200, 600, 80
BAR = (192, 0, 0)


@cache
def _font_path() -> str | None:
    for pattern in ("/usr/share/fonts/**/NotoSansCJK-Regular.ttc", "/usr/share/fonts/**/*CJK*",
                    "/usr/share/fonts/**/wqy*"):  # fmt: skip
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return found[0]
    return None


def _font(size: int):
    path = _font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default()


def bar_chart(title: str, bars: list[tuple[str, float]], *, top: float | None = None) -> bytes:
    """A PNG of vertical bars with their value above and label below."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.text((WIDTH // 2, 30), title, fill="black", font=_font(32), anchor="mm")
    base, left = HEIGHT - MARGIN, MARGIN
    draw.line((left, base, WIDTH - MARGIN // 2, base), fill="black", width=2)
    if bars:
        top = top or max(v for _l, v in bars) or 1
        slot = (WIDTH - left - MARGIN // 2) / len(bars)
        label_font, value_font = _font(22), _font(20)
        for n, (label, value) in enumerate(bars):
            x0 = left + n * slot + slot * 0.2
            x1 = left + (n + 1) * slot - slot * 0.2
            height = (base - 90) * (value / top if top else 0)
            draw.rectangle((x0, base - height, x1, base), fill=BAR)
            middle = (x0 + x1) / 2
            shown = f"{value:g}"
            draw.text((middle, base - height - 14), shown, fill="black", font=value_font,
                      anchor="mm")  # fmt: skip
            draw.text((middle, base + 24), label[:8], fill="black", font=label_font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
