"""Vietnamese text, in one place: normalisation, folding for search, and sort order.

Records arrive decomposed (from Windows-1258 files), with combining marks in the wrong order, and with two tone
placements ("Hoà" / "Hòa"). Everything stored goes through `normalize`; everything searched through `fold`;
everything listed for people through `sort_key`.
"""

from __future__ import annotations

import unicodedata

# Vietnamese vowel-shape marks must come before tone marks for NFC to compose them:
# e + U+0301 (acute, a tone) + U+0302 (circumflex, a shape) must become ế, not é̂.
_SHAPE_MARKS = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave, acute, tilde, hook above, dot below


def _repair_mark_order(decomposed: str) -> str:
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            shapes = [m for m in run if m in _SHAPE_MARKS]
            tones = [m for m in run if m in _TONE_MARKS]
            others = [m for m in run if m not in _SHAPE_MARKS and m not in _TONE_MARKS]
            out.extend(shapes + tones[:1] + others)
            run.clear()

    for ch in decomposed:
        if unicodedata.combining(ch):
            run.append(ch)
        else:
            flush()
            out.append(ch)
    flush()
    return "".join(out)


def normalize(value: str | None) -> str:
    """NFC with combining marks put in the order Vietnamese needs, surrounding space trimmed."""
    if not value:
        return ""
    if value.isascii():  # no marks to repair (codes, dates, numbers): the common case in large sheets
        return value.strip()
    decomposed = unicodedata.normalize("NFD", value)
    return unicodedata.normalize("NFC", _repair_mark_order(decomposed)).strip()


def fold(value: str | None) -> str:
    """Accent-, tone- and case-insensitive form for search: "Chiềng Cơi" -> "chieng coi"; Hoà == Hòa."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.casefold().split())


# Vietnamese alphabet order: A Ă Â B C D Đ E Ê G H I K L M N O Ô Ơ P Q R S T U Ư V X Y.
_BASE_ORDER = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_BASE_RANK = {ch: i for i, ch in enumerate(_BASE_ORDER)}
# Tones rank after the letter: none, grave, hook, tilde, acute, dot below (the dictionary order).
_TONE_RANK = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letter_key(ch: str) -> tuple[int, int, str]:
    decomposed = unicodedata.normalize("NFD", ch.casefold())
    base = decomposed[0] if decomposed else ch
    marks = decomposed[1:]
    shape = "".join(m for m in marks if m in _SHAPE_MARKS)
    tone = next((m for m in marks if m in _TONE_MARKS), "")
    letter = unicodedata.normalize("NFC", base + shape)
    if letter == "đ" or ch in "đĐ":
        letter = "đ"
    rank = _BASE_RANK.get(letter, 100 + ord(letter[0]) if letter else 0)
    return (rank, _TONE_RANK.get(tone, 0), ch)


def sort_key(value: str | None) -> tuple:
    """Key for sorting in Vietnamese order: letters first, then tones, then case."""
    text = normalize(value or "")
    primary = tuple(_letter_key(ch)[0] for ch in text)
    secondary = tuple(_letter_key(ch)[1] for ch in text)
    return (primary, secondary, text)
