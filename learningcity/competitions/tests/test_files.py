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
    assert checked.kind == FileKind.IMAGE and checked.file_format == "jpg"
    assert b"L\xc3\xb2 Th\xe1\xbb\x8b Mai" not in checked.data and b"Mai" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as image:
        assert not image.getexif()


def test_mp3_loses_its_id3_tags_and_keeps_the_sound():
    checked = check(mp3_with_tags())
    assert checked.file_format == "mp3" and checked.kind == FileKind.AUDIO
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
    assert b"Lo Mai" not in checked.data and b"data" in checked.data
    assert struct.unpack("<I", checked.data[4:8])[0] == len(checked.data) - 8


def test_pdf_author_is_blanked_in_place_and_scripts_refused():
    pdf = b"%PDF-1.4\n1 0 obj << /Author (Lo Thi Mai) /Producer (Word) >> endobj\ntrailer << /Info 1 0 R >>\n%%EOF"
    checked = check(SimpleUploadedFile("bai.pdf", pdf))
    assert b"Lo Thi Mai" not in checked.data
    assert len(checked.data) == len(pdf)  # offsets stay right
    evil = b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF"
    with pytest.raises(DomainError, match="scripts"):
        check(SimpleUploadedFile("evil.pdf", evil))


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
