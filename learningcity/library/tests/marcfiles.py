"""MARC files for the tests, built with pymarc (and bytes edited where a broken or MARC-8 record is needed)."""

from __future__ import annotations

import pymarc
from pymarc import Field, Indicators, Subfield


def record(
    title: str,
    *,
    isbn: str = "",
    author: str = "",
    items: list[tuple[str, str]] | None = None,
    lang: str = "vie",
    romanised: str = "",
) -> pymarc.Record:
    r = pymarc.Record(force_utf8=True)
    r.add_field(Field(tag="008", data=f"250101s2020    vm     j            {lang} d"))
    if isbn:
        r.add_field(Field(tag="020", indicators=Indicators(" ", " "), subfields=[Subfield("a", isbn)]))
    if author:
        r.add_field(Field(tag="100", indicators=Indicators("1", " "), subfields=[Subfield("a", author)]))
    r.add_field(Field(tag="245", indicators=Indicators("1", "0"), subfields=[Subfield("a", title + " /")]))
    if romanised:
        r.add_field(Field(tag="246", indicators=Indicators("1", " "), subfields=[Subfield("a", romanised)]))
    r.add_field(
        Field(
            tag="264",
            indicators=Indicators(" ", "1"),
            subfields=[Subfield("b", "Kim Đồng,"), Subfield("c", "2020.")],
        )
    )
    r.add_field(
        Field(tag="650", indicators=Indicators(" ", "4"), subfields=[Subfield("a", "Truyện thiếu nhi")])
    )
    for barcode, branch in items or []:
        r.add_field(
            Field(
                tag="952",
                indicators=Indicators(" ", " "),
                subfields=[Subfield("a", branch), Subfield("p", barcode)],
            )
        )
    return r


def marc8_record() -> bytes:
    """A record marked MARC-8 (leader/09 blank) whose title has its marks in the wrong order (hook, then circumflex)."""
    raw = bytearray(record("Truy##en c##o t#ich", isbn="9786320000005", author="Lo Van Puon").as_marc())
    raw[9:10] = b" "
    return bytes(raw).replace(b"Truy##en c##o t#ich", b"Truy\xf2\xe3en c\xe0\xe3o t\xe2ich")


def broken_directory(raw: bytes) -> bytes:
    """The first directory entry's length made wrong (a common corruption)."""
    entry = 24  # the directory starts after the leader: tag (3), length (4), start (5)
    return raw[: entry + 3] + b"9999" + raw[entry + 7 :]
