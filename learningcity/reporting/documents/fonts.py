"""The base font that renders Vietnamese (Noto Sans, vendored in competitions/fonts), found through the static
finders. Other scripts' letters (Tai Viet, Thai, Lao, Khmer) take their Noto font from `core.pdf_scripts`."""

from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders

FILES = {
    "regular": "competitions/fonts/NotoSans-Regular.ttf",
    "bold": "competitions/fonts/NotoSans-Bold.ttf",
}


@cache
def font_path(name: str) -> str:
    found = finders.find(FILES[name])
    if not found:
        raise FileNotFoundError(FILES[name])
    return str(found[0] if isinstance(found, list) else found)
