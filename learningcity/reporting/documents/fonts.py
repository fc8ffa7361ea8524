"""Fonts that render Vietnamese (Noto Sans, vendored in competitions/fonts) and the Tai Viet script (Noto Sans
Tai Viet, vendored here), found through the static finders so no system font is needed."""

from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders

FILES = {
    "regular": "competitions/fonts/NotoSans-Regular.ttf",
    "bold": "competitions/fonts/NotoSans-Bold.ttf",
    "taiviet": "reporting/fonts/NotoSansTaiViet-Regular.ttf",
}


@cache
def font_path(name: str) -> str:
    found = finders.find(FILES[name])
    if not found:
        raise FileNotFoundError(FILES[name])
    return str(found[0] if isinstance(found, list) else found)


def has_tai_viet(text: str) -> bool:
    return any("\uaa80" <= ch <= "\uaadf" for ch in text)
