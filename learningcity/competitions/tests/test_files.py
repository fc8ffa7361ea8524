import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from learningcity.core.errors import DomainError

from ..models import FileKind
from ..services.files import check_file, sniff
from .factories import jpeg_with_gps, mp3_with_tags, text_file

ALL = [FileKind.IMAGE, FileKind.AUDIO, FileKind.PDF, FileKind.TEXT]
MB = 1024 * 1024


def check(upload, kinds=ALL, max_bytes=5 * MB):
    return check_file(upload, allowed_kinds=kinds, max_bytes=max_bytes)


def test_images_are_re_encoded_without_exif():
    checked = check(jpeg_with_gps())
    assert checked.kind == FileKind.IMAGE
    assert checked.file_format == "jpg"
    assert b"L\xc3\xb2 Th\xe1\xbb\x8b Mai" not in checked.data
    assert b"Mai" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as image:
        assert not image.getexif()


def test_mp3_loses_its_id3_tags_and_keeps_the_sound():
    checked = check(mp3_with_tags())
    assert checked.file_format == "mp3"
    assert checked.kind == FileKind.AUDIO
    assert b"Lo Thi Mai" not in checked.data
    assert checked.data.startswith(b"\xff\xfb")


def test_audio_formats_recognised_by_magic_bytes():
    assert sniff(b"OggS\x00\x02" + b"\x00" * 30) == "ogg"
    assert sniff(b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00") == "m4a"
    assert sniff(b"RIFF\x24\x00\x00\x00WAVEfmt ") == "wav"
    assert sniff(b"ID3\x04\x00\x00\x00\x00\x00\x00") == "mp3"


def test_wav_loses_its_info_chunk():
    fmt = b"fmt " + struct.pack("<I", 16) + struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    info = b"LIST" + struct.pack("<I", 18) + b"INFOIART" + struct.pack("<I", 6) + b"Lo Mai"
    data = b"data" + struct.pack("<I", 4) + b"\x00\x01\x00\x01"
    body = b"WAVE" + fmt + info + data
    raw = b"RIFF" + struct.pack("<I", len(body)) + body
    checked = check(SimpleUploadedFile("a.wav", raw))
    assert checked.file_format == "wav"
    assert b"Lo Mai" not in checked.data
    assert b"data" in checked.data
    assert struct.unpack("<I", checked.data[4:8])[0] == len(checked.data) - 8


def test_a_plain_pdf_is_accepted_and_keeps_its_pages():
    """PDF cleaning itself (escaped names, object streams, scripts, refusals) is in test_pdf_cleaning.py."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = "Lo Thi Mai"
    out = io.BytesIO()
    pdf.save(out)
    checked = check(SimpleUploadedFile("bai.pdf", out.getvalue()))
    assert checked.kind == FileKind.PDF
    assert checked.file_format == "pdf"
    assert b"Lo Thi Mai" not in checked.data
    with pikepdf.open(io.BytesIO(checked.data)) as cleaned:
        assert len(cleaned.pages) == 2


@pytest.mark.parametrize(
    "payload",
    [
        b"MZ\x90\x00\x03" + b"\x00" * 100,
        b"\x7fELF\x02\x01\x01" + b"\x00" * 100,
        b"#!/bin/sh\nrm -rf /\n",
        b"PK\x03\x04zip",
    ],
)
def test_disguised_executables_are_refused_whatever_their_name(payload):
    with pytest.raises(DomainError, match="program"):
        check(SimpleUploadedFile("tranh-dep.jpg", payload, content_type="image/jpeg"))


def test_svg_with_script_is_refused_and_plain_svg_asked_as_png():
    evil = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(DomainError, match="scripts"):
        check(SimpleUploadedFile("a.svg", evil))
    with pytest.raises(DomainError, match="PNG"):
        check(SimpleUploadedFile("b.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'))


def test_wrong_type_for_the_category_is_refused():
    with pytest.raises(DomainError, match="not an accepted type"):
        check(text_file(), kinds=[FileKind.IMAGE])


def test_oversize_files_are_refused():
    with pytest.raises(DomainError, match="too large"):
        check(SimpleUploadedFile("big.txt", b"a" * (MB + 1)), max_bytes=MB)


def test_decompression_bomb_is_refused():
    image = Image.new("1", (10_000, 10_000))
    out = io.BytesIO()
    image.save(out, format="PNG")
    assert len(out.getvalue()) < 100_000
    with pytest.raises(DomainError):
        check(SimpleUploadedFile("bomb.png", out.getvalue()))


def test_binary_garbage_is_not_text():
    with pytest.raises(DomainError, match="not an accepted type"):
        check(SimpleUploadedFile("x.txt", b"\x00\x01\x02\x03" * 10))


def _ogg_page(body: bytes, seq: int) -> bytes:
    from ..services.files import _ogg_crc

    segments = [255] * (len(body) // 255) + [len(body) % 255]
    header = (
        b"OggS\x00\x00" + b"\x00" * 8 + struct.pack("<I", 1) + struct.pack("<I", seq) + b"\x00\x00\x00\x00"
    )
    page = bytearray(header + bytes([len(segments)]) + bytes(segments) + body)
    page[22:26] = struct.pack("<I", _ogg_crc(bytes(page)))
    return bytes(page)


def test_ogg_crc_matches_the_standard_check_value():
    from ..services.files import _ogg_crc

    assert _ogg_crc(b"123456789") == 0x89A1897F


def test_ogg_comments_are_blanked_and_pages_stay_valid():
    from ..services.files import _ogg_crc

    comment = b"ARTIST=Lo Thi Mai"
    packet = b"\x03vorbis" + struct.pack("<I", 4) + b"Lavf" + struct.pack("<I", 1)
    packet += struct.pack("<I", len(comment)) + comment + b"\x01"
    raw = _ogg_page(b"\x01vorbis" + b"\x00" * 22, 0) + _ogg_page(packet, 1) + _ogg_page(b"\x00" * 40, 2)
    checked = check(SimpleUploadedFile("ngam-tho.ogg", raw))
    assert checked.file_format == "ogg"
    assert len(checked.data) == len(raw)
    assert b"Lo Thi Mai" not in checked.data
    assert b"ARTIST=" in checked.data
    pos = 0
    while pos < len(checked.data):
        nsegs = checked.data[pos + 26]
        end = pos + 27 + nsegs + sum(checked.data[pos + 27 : pos + 27 + nsegs])
        page = bytearray(checked.data[pos:end])
        stored = struct.unpack("<I", bytes(page[22:26]))[0]
        page[22:26] = b"\x00\x00\x00\x00"
        assert _ogg_crc(bytes(page)) == stored
        pos = end


def test_m4a_user_data_becomes_free_space_of_the_same_size():
    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    name = b"\x00\x00\x00\x19data\x00\x00\x00\x01\x00\x00\x00\x00Lo Thi Mai"
    moov = box(
        b"moov", box(b"mvhd", b"\x00" * 20) + box(b"udta", box(b"meta", b"\x00" * 4 + box(b"ilst", name)))
    )
    raw = box(b"ftyp", b"M4A \x00\x00\x00\x00M4A isom") + moov + box(b"mdat", b"\x00" * 64)
    checked = check(SimpleUploadedFile("bai-hat.m4a", raw))
    assert checked.file_format == "m4a"
    assert len(checked.data) == len(raw)
    assert b"Lo Thi Mai" not in checked.data
    assert b"udta" not in checked.data
    assert b"free" in checked.data
    assert b"mdat" in checked.data
    assert b"mvhd" in checked.data
