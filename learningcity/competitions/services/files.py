"""Checking entry files by their content, never by their name, and removing what would identify an entrant.

Images are re-encoded (core.uploads.clean_image: no EXIF, no GPS, decompression-bomb guard). MP3 files lose
their ID3 tags, WAV files their INFO chunks, OGG files the values of their comments, M4A files their user-data
boxes (turned into same-size "free" boxes). PDFs are parsed and written again (pikepdf, on qpdf) without their
metadata, scripts, automatic actions, outside links and embedded files; a PDF that does not parse is refused.
SVG is refused (it can carry scripts); so are executables whatever their name says.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from learningcity.core.errors import DomainError
from learningcity.core.uploads import clean_image

from ..models import FileKind

_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O / Java class
    b"#!",  # scripts
    b"PK\x03\x04",  # zip, jar, apk, office files
    b"Rar!",
    b"7z\xbc\xaf",
    b"\xd0\xcf\x11\xe0",  # old office files (macros)
)

CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
}
KIND_OF_FORMAT = {
    "jpg": FileKind.IMAGE,
    "png": FileKind.IMAGE,
    "webp": FileKind.IMAGE,
    "mp3": FileKind.AUDIO,
    "ogg": FileKind.AUDIO,
    "m4a": FileKind.AUDIO,
    "wav": FileKind.AUDIO,
    "pdf": FileKind.PDF,
    "txt": FileKind.TEXT,
}


@dataclass
class CheckedFile:
    kind: str
    file_format: str
    content_type: str
    data: bytes
    original_name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _is_mp3(data: bytes) -> bool:
    if data[:3] == b"ID3":
        return True
    return len(data) > 2 and data[0] == 0xFF and (data[1] & 0xE0) == 0xE0 and (data[1] & 0x06) != 0


def _is_svg(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return (head.startswith(b"<?xml") and b"<svg" in data[:4096].lower()) or head.startswith(b"<svg")


def sniff(data: bytes) -> str | None:
    """The format of the content: jpg, png, webp, mp3, ogg, m4a, wav, pdf, txt, svg, exe or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data.startswith(b"OggS"):
        return "ogg"
    if data[4:8] == b"ftyp" and data[8:12] in (b"M4A ", b"mp42", b"isom", b"M4B ", b"mp41", b"iso2", b"dash"):
        return "m4a"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if any(data.startswith(magic) for magic in _EXECUTABLE_MAGIC):
        return "exe"
    if _is_mp3(data):
        return "mp3"
    if _is_svg(data):
        return "svg"
    if _looks_like_text(data):
        return "txt"
    return None


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _strip_id3(data: bytes) -> bytes:
    if data[:3] == b"ID3" and len(data) >= 10:
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        footer = 10 if data[5] & 0x10 else 0
        data = data[10 + size + footer :]
    if len(data) >= 128 and data[-128:-125] == b"TAG":
        data = data[:-128]
    return data


def _strip_wav_info(data: bytes) -> bytes:
    """Keep only the chunks that carry sound (fmt, data, fact): LIST/INFO names the artist."""
    out = io.BytesIO()
    pos = 12
    while pos + 8 <= len(data):
        chunk_id = data[pos : pos + 4]
        (size,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        end = pos + 8 + size + (size & 1)
        if chunk_id in (b"fmt ", b"data", b"fact"):
            out.write(data[pos:end])
        pos = end
    body = out.getvalue()
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WAVE" + body


def _ogg_crc_table() -> list[int]:
    table = []
    for i in range(256):
        r = i << 24
        for _bit in range(8):
            r = ((r << 1) ^ 0x04C11DB7) if r & 0x80000000 else (r << 1)
        table.append(r & 0xFFFFFFFF)
    return table


_OGG_CRC = _ogg_crc_table()


def _ogg_crc(page: bytes) -> int:
    crc = 0
    for byte in page:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _OGG_CRC[((crc >> 24) & 0xFF) ^ byte]
    return crc


def _blank_comments(body: bytearray, start: int) -> None:
    """Blank the values of Vorbis/Opus comments ("ARTIST=Lò Thị Mai") in place, keeping every length."""
    pos = start
    try:
        (vendor_len,) = struct.unpack_from("<I", body, pos)
        pos += 4 + vendor_len
        (count,) = struct.unpack_from("<I", body, pos)
        pos += 4
        for _comment in range(count):
            (length,) = struct.unpack_from("<I", body, pos)
            pos += 4
            if pos + length > len(body):
                return  # the packet goes on in the next page: leave the rest
            text = body[pos : pos + length]
            eq = text.find(b"=")
            if eq >= 0:
                body[pos + eq + 1 : pos + length] = b" " * (length - eq - 1)
            pos += length
    except struct.error:
        return


def _strip_ogg_tags(data: bytes) -> bytes:
    """Blank the comment header of Ogg Vorbis/Opus files (page by page, CRCs recomputed)."""
    out = bytearray(data)
    pos = 0
    while pos + 27 <= len(out) and out[pos : pos + 4] == b"OggS":
        nsegs = out[pos + 26]
        header_len = 27 + nsegs
        body_len = sum(out[pos + 27 : pos + 27 + nsegs])
        end = pos + header_len + body_len
        page = out[pos:end]
        body = bytearray(page[header_len:])
        changed = False
        for marker in (b"\x03vorbis", b"OpusTags"):
            at = body.find(marker)
            if at >= 0:
                _blank_comments(body, at + len(marker))
                changed = True
        if changed:
            page[header_len:] = body
            page[22:26] = b"\x00\x00\x00\x00"
            page[22:26] = struct.pack("<I", _ogg_crc(bytes(page)))
            out[pos:end] = page
        pos = end
    return bytes(out)


def _strip_mp4_tags(data: bytes) -> bytes:
    """Turn the user-data and metadata boxes of an M4A file into same-size "free" boxes (offsets unchanged)."""
    out = bytearray(data)

    def walk(start: int, stop: int, depth: int) -> None:
        pos = start
        while pos + 8 <= stop:
            size, kind = struct.unpack_from(">I4s", out, pos)
            header = 8
            if size == 1 and pos + 16 <= stop:
                size = struct.unpack_from(">Q", out, pos + 8)[0]
                header = 16
            elif size == 0:
                size = stop - pos
            if size < header or pos + size > stop:
                return
            if kind in (b"udta", b"meta", b"ilst"):
                out[pos + 4 : pos + 8] = b"free"
                out[pos + header : pos + size] = bytes(size - header)
            elif kind in (b"moov", b"trak", b"mdia") and depth < 4:
                walk(pos + header, pos + size, depth + 1)
            pos += size

    walk(0, len(out), 0)
    return bytes(out)


# Actions that reach outside the document or run something: a link, a script, a program, a form sent away.
_PDF_OUTSIDE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/RichMediaExecute",
        "/Rendition",
        "/Movie",
        "/Sound",
    }
)
# Annotations that carry a file, a player or a script of their own.
_PDF_ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"})
# Keys dropped from every dictionary of the file: scripts and triggers, XMP and application data, embedded files.
_PDF_DROPPED_KEYS = (
    "/OpenAction",
    "/AA",
    "/JS",
    "/JavaScript",
    "/EmbeddedFiles",
    "/EF",
    "/XFA",
    "/Metadata",
    "/PieceInfo",
)


def _pdf_outside_action(value) -> bool:
    import pikepdf

    return isinstance(value, pikepdf.Dictionary) and str(value.get("/S", "")) in _PDF_OUTSIDE_ACTIONS


def _pdf_scrub(obj, depth: int = 0) -> None:
    """Drop the dangerous keys of a dictionary (or a stream's dictionary) and of the direct objects inside it.

    Indirect objects are scrubbed on their own (the caller walks every object of the file); an action that
    reaches outside, direct or indirect, is cut off where it is referred to."""
    import pikepdf

    if depth > 64:
        return
    if isinstance(obj, pikepdf.Array):
        for index in reversed(range(len(obj))):
            item = obj[index]
            if _pdf_outside_action(item):
                del obj[index]
            elif isinstance(item, (pikepdf.Dictionary, pikepdf.Array)) and not item.is_indirect:
                _pdf_scrub(item, depth + 1)
        return
    if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        return
    for key in _PDF_DROPPED_KEYS:
        if key in obj:
            del obj[key]
    for key in list(obj.keys()):
        value = obj[key]
        if _pdf_outside_action(value):
            del obj[key]
        elif isinstance(value, (pikepdf.Dictionary, pikepdf.Array)) and not value.is_indirect:
            _pdf_scrub(value, depth + 1)


def _pdf_keeps_annotation(annotation) -> bool:
    import pikepdf

    if not isinstance(annotation, pikepdf.Dictionary):
        return True
    if str(annotation.get("/Subtype", "")) in _PDF_ACTIVE_ANNOTATIONS:
        return False
    return not _pdf_outside_action(annotation.get("/A"))


def _pdf_unreadable(name: str) -> DomainError:
    return DomainError(
        _(
            "“%(name)s” could not be read as a PDF document (it may be damaged); please save it again as a PDF "
            "and send it again. Nothing was saved."
        )
        % {"name": name},
        field="files",
    )


def _clean_pdf(data: bytes, name: str) -> bytes:
    """Parse the PDF (pikepdf/qpdf: escaped names, object streams, broken cross-references) and write it again
    without what identifies the entrant or acts on its own.

    Dropped: the information dictionary (author, creator, producer, title...) and every XMP metadata stream;
    the open action and every additional-actions (/AA) trigger; the JavaScript and embedded-file name trees,
    embedded files, XFA forms and application data (/PieceInfo); annotations that attach files or play media,
    and those whose action is a script, a launched program, a web address or a form sent elsewhere; any other
    such action wherever it is referred to. The file keeps its pages; object streams are written out plainly
    and the file identifier is derived from the new content. A file that does not parse is refused."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise DomainError(
            _("“%(name)s” is protected by a password; please send it without one.") % {"name": name},
            field="files",
        ) from None
    except (pikepdf.PdfError, ValueError, RecursionError):
        raise _pdf_unreadable(name) from None
    try:
        with pdf:
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            for page in pdf.pages:
                annotations = page.obj.get("/Annots")
                if isinstance(annotations, pikepdf.Array):
                    kept = [a for a in annotations if _pdf_keeps_annotation(a)]
                    if len(kept) != len(annotations):
                        page.obj["/Annots"] = pikepdf.Array(kept)
            for obj in pdf.objects:
                _pdf_scrub(obj)
            out = io.BytesIO()
            pdf.save(
                out,
                encryption=False,
                object_stream_mode=pikepdf.ObjectStreamMode.disable,
                fix_metadata_version=False,
                deterministic_id=True,
            )
    except (pikepdf.PdfError, ValueError, RecursionError):
        raise _pdf_unreadable(name) from None
    return out.getvalue()


def _read_within(upload, name: str, limit: int) -> bytes:
    """The upload's bytes, refused when larger than the limit (by its declared size, then by what it holds)."""
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise DomainError(
            _("“%(name)s” is too large (%(size)s MB; the limit is %(limit)s MB).")
            % {"name": name, "size": round(size / 1e6, 1), "limit": round(limit / 1e6, 1)},
            field="files",
        )
    upload.seek(0) if hasattr(upload, "seek") else None
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise DomainError(
            _("“%(name)s” is too large (the limit is %(limit)s MB).")
            % {"name": name, "limit": round(limit / 1e6, 1)},
            field="files",
        )
    if not data:
        raise DomainError(_("“%(name)s” is empty.") % {"name": name}, field="files")
    return data


def _refuse_unsafe(fmt: str | None, data: bytes, name: str) -> None:
    """Programs, archives and SVG drawings are never accepted, whatever the category allows."""
    if fmt == "exe":
        raise DomainError(
            _(
                "“%(name)s” is a program or an archive, not a picture, a recording or a document; it was refused."
            )
            % {"name": name},
            field="files",
        )
    if fmt == "svg":
        if re.search(
            rb"<script|\son[a-z]+\s*=|javascript:|<foreignObject|xlink:href\s*=\s*[\"'](?!#)", data, re.I
        ):
            raise DomainError(
                _("“%(name)s” is an SVG drawing that contains scripts; it was refused.") % {"name": name},
                field="files",
            )
        raise DomainError(
            _("“%(name)s” is an SVG drawing; please send it as a PNG or JPEG image.") % {"name": name},
            field="files",
        )


def _cleaned(kind: str, fmt: str, data: bytes, name: str, limit: int) -> tuple[bytes, str]:
    """(the bytes without their metadata, their format): images re-encoded, recordings and PDFs stripped."""
    if kind == FileKind.IMAGE:
        try:
            cleaned = clean_image(io.BytesIO(data), max_bytes=limit)
        except DomainError as exc:
            raise DomainError(f"“{name}”: {exc.message}", field="files") from None
        return cleaned.read(), (cleaned.name or "x.jpg").rsplit(".", 1)[-1]
    if fmt == "mp3":
        data = _strip_id3(data)
        if not _is_mp3(data):
            raise DomainError(
                _("“%(name)s” is not a readable MP3 recording.") % {"name": name}, field="files"
            )
    elif fmt == "wav":
        data = _strip_wav_info(data)
    elif fmt == "ogg":
        data = _strip_ogg_tags(data)
    elif fmt == "m4a":
        data = _strip_mp4_tags(data)
    elif fmt == "pdf":
        data = _clean_pdf(data, name)
    elif fmt == "txt":
        data = data.decode("utf-8").lstrip("\ufeff").encode("utf-8")
    return data, fmt


def check_file(upload, *, allowed_kinds: list[str], max_bytes: int) -> CheckedFile:
    """Read an upload, identify it by content and return a cleaned copy; refuse anything else."""
    name = str(getattr(upload, "name", "") or "")[-200:]
    limit = min(max_bytes, settings.MAX_UPLOAD_BYTES)
    data = _read_within(upload, name, limit)
    fmt = sniff(data)
    _refuse_unsafe(fmt, data, name)
    kind = KIND_OF_FORMAT.get(fmt or "")
    if kind is None or kind not in allowed_kinds:
        labels = dict(FileKind.choices)
        raise DomainError(
            _("“%(name)s” is not an accepted type in this category (accepted: %(kinds)s).")
            % {"name": name, "kinds": ", ".join(str(labels[k]) for k in allowed_kinds if k in labels)},
            field="files",
        )
    assert fmt is not None
    data, fmt = _cleaned(kind, fmt, data, name, limit)
    return CheckedFile(
        kind=kind, file_format=fmt, content_type=CONTENT_TYPES[fmt], data=data, original_name=name
    )
