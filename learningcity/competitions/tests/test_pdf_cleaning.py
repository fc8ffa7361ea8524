"""Entry PDFs lose what names the entrant and what acts on its own, however the file writes it (blind review).

The fixtures are written here: by hand, with names spelt in #xx escapes (`/Auth#6Fr`, `/J#61vaScript`), and with
pikepdf, with the information dictionary and the XMP inside a compressed object stream (so no byte search can
see them). The cleaned bytes are read back with pikepdf and searched as plain bytes.
"""

import contextlib
import io
import zlib

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learningcity.core.errors import DomainError

from ..models import Entry, EntryFile, FileKind
from ..services.files import check_file
from ..services.submissions import entry_submit
from .factories import setup_competition

AUTHOR = "Lo Thi Mai"
CREATOR = "Mai's laptop"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>'
    + AUTHOR.encode()
    + b"</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
)


def check(data: bytes, name: str = "bai-tho.pdf"):
    return check_file(SimpleUploadedFile(name, data), allowed_kinds=[FileKind.PDF], max_bytes=5 * 1024 * 1024)


def pdf_by_hand(objects: list[bytes], trailer: bytes) -> bytes:
    """A PDF with a correct cross-reference table: objects numbered 1..n in order."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d " % (len(objects) + 1) + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    )
    return out.getvalue()


def stream(body: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d " % len(body) + extra + b" >>\nstream\n" + body + b"\nendstream"


def escaped_names_pdf() -> bytes:
    """Every telling name written with #xx escapes, which qpdf reads as the plain name."""
    content = b"BT /F1 12 Tf 20 100 Td (Son La mua hoa ban) Tj ET"
    return pdf_by_hand(
        [
            # 1 catalogue: open action, JavaScript and embedded-file name trees, XMP, document-level triggers
            b"<< /Type /Catalog /Pages 2 0 R /Op#65nAction 5 0 R /M#65tadata 9 0 R"
            b" /Names << /J#61vaScript << /Names [(hello) 6 0 R] >> /Embedd#65dFiles << /Names [(cv.txt) 7 0 R] >> >>"
            b" /A#41 << /WC << /S /J#61vaScript /J#53 (app.alert('closing')) >> >> >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            # 3 the page: an open trigger, a web link, a launch link, a file attachment, and a harmless inner link
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 10 0 R"
            b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
            b" /AA << /O << /S /J#61vaScript /J#53 (app.alert('page')) >> >>"
            b" /Annots ["
            b" << /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /U#52I /URI (http://evil.example/mai) >> >>"
            b" << /Type /Annot /Subtype /Link /Rect [0 10 10 20] /A << /S /L#61unch /F (cmd.exe) >> >>"
            b" << /Type /Annot /Subtype /FileAttachment /Rect [0 20 10 30] /FS 7 0 R >>"
            b" << /Type /Annot /Subtype /Link /Rect [0 30 10 40] /Dest [3 0 R /Fit] >>"
            b" ] >>",
            b"<< /Auth#6Fr ("
            + AUTHOR.encode()
            + b") /Cr#65ator ("
            + CREATOR.encode()
            + b") /Producer (Word) >>",
            b"<< /S /J#61vaScript /J#53 (app.alert('open')) >>",
            b"<< /S /J#61vaScript /J#53 (app.alert('named')) >>",
            b"<< /Type /Filespec /F (cv.txt) /EF << /F 8 0 R >> >>",
            stream(b"CV of " + AUTHOR.encode(), b"/Type /Embedd#65dFile"),
            stream(XMP, b"/Type /Metadata /Subtype /XML"),
            stream(content),
        ],
        b"/Root 1 0 R /Info 4 0 R",
    )


def object_stream_pdf(*, actions: bool) -> bytes:
    """Made with pikepdf: information dictionary, XMP (and actions) inside a compressed object stream."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    # No /Type /Metadata on the XMP stream: qpdf would write such a stream uncompressed (readers do not need it).
    xmp = pdf.make_stream(zlib.compress(XMP), Subtype=pikepdf.Name.XML, Filter=pikepdf.Name.FlateDecode)
    pdf.Root.Metadata = xmp
    pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary(Author=AUTHOR, Creator=CREATOR))
    if actions:
        pdf.Root.OpenAction = pdf.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('open')"))
        )
        cv = pdf.make_stream(
            zlib.compress(b"CV of " + AUTHOR.encode()),
            Type=pikepdf.Name.EmbeddedFile,
            Filter=pikepdf.Name.FlateDecode,
        )
        spec = pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F="cv.txt", EF=pikepdf.Dictionary(F=cv))
        pdf.Root.Names = pikepdf.Dictionary(
            EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array(["cv.txt", spec]))
        )
    out = io.BytesIO()
    pdf.save(
        out,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        fix_metadata_version=False,
    )
    data = out.getvalue()
    assert b"/ObjStm" in data
    assert AUTHOR.encode() not in data
    return data


def all_text(data: bytes) -> bytes:
    """The file's bytes and every stream's decoded bytes (what a curious judge could read)."""
    found = [data]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    found.append(obj.read_bytes())
                except pikepdf.PdfError:
                    found.append(obj.read_raw_bytes())
    return b"\n".join(found)


def assert_clean(data: bytes) -> None:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        assert "/Info" not in pdf.trailer
        assert not pdf.attachments
        root = pdf.Root
        for key in ("/OpenAction", "/AA", "/Metadata"):
            assert key not in root, key
        names = root.get("/Names", pikepdf.Dictionary())
        assert "/JavaScript" not in names
        assert "/EmbeddedFiles" not in names
        for annotation in pdf.pages[0].obj.get("/Annots", pikepdf.Array()):
            assert annotation.get("/Subtype") != "/FileAttachment"
            assert "/A" not in annotation or annotation.A.get("/S") not in ("/URI", "/Launch", "/JavaScript")
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                keys = set(obj.keys())
                assert not keys & {"/JS", "/AA", "/OpenAction", "/Author", "/Creator", "/Metadata", "/EF"}, (
                    keys
                )
                assert obj.get("/S") not in ("/JavaScript", "/Launch", "/URI"), repr(obj)
    text = all_text(data)
    for needle in (AUTHOR, CREATOR, "app.alert", "evil.example", "cmd.exe", "JavaScript", "OpenAction"):
        assert needle.encode() not in text, needle
    # Inflate anything that still looks compressed, in case a stream was not parsed as one.
    for chunk in data.split(b"stream\n")[1:]:
        with contextlib.suppress(zlib.error):
            assert AUTHOR.encode() not in zlib.decompressobj().decompress(chunk)


def test_escaped_names_do_not_hide_the_author_or_scripts():
    raw = escaped_names_pdf()
    with pikepdf.open(io.BytesIO(raw)) as pdf:  # the fixture is what a reader sees: author and scripts
        assert str(pdf.docinfo["/Author"]) == AUTHOR
        assert pdf.Root.OpenAction.S == "/JavaScript"
    checked = check(raw)
    assert checked.file_format == "pdf"
    assert checked.content_type == "application/pdf"
    assert_clean(checked.data)
    with pikepdf.open(io.BytesIO(checked.data)) as pdf:
        # The harmless link inside the document stays; the page and its text stay.
        annotations = pdf.pages[0].obj.Annots
        assert len(annotations) == 1
        assert "/Dest" in annotations[0]
        assert b"Son La mua hoa ban" in pdf.pages[0].Contents.read_bytes()


@pytest.mark.parametrize("actions", [False, True], ids=["metadata", "metadata-and-actions"])
def test_metadata_inside_a_compressed_object_stream_is_removed(actions):
    checked = check(object_stream_pdf(actions=actions))
    assert_clean(checked.data)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n1 0 obj << /Author (Lo Thi Mai) >> endobj\ntrailer << /Info 1 0 R >>\n%%EOF",
        b"%PDF-1.7\n" + b"\x00\xff" * 200,
    ],
    ids=["no-document", "garbage"],
)
def test_a_pdf_that_does_not_parse_is_refused_and_nothing_saved(db, city, people, data):
    competition, poems, *_ = setup_competition(city)
    with pytest.raises(DomainError, match="could not be read as a PDF") as exc:
        entry_submit(
            actor=people["resident"],
            competition=competition,
            category=poems,
            title="Bài thơ",
            files=[SimpleUploadedFile("bai-tho.pdf", data)],
        )
    assert "bai-tho.pdf" in exc.value.message
    assert not Entry.objects.exists()
    assert not EntryFile.objects.exists()


def test_a_password_protected_pdf_is_refused_with_its_own_message():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    with pytest.raises(DomainError, match="password"):
        check(out.getvalue())


def test_the_file_a_judge_downloads_is_the_cleaned_one(db, city, people):
    competition, poems, *_ = setup_competition(city)
    entry = entry_submit(
        actor=people["resident"],
        competition=competition,
        category=poems,
        title="Bài thơ",
        files=[SimpleUploadedFile("bai-tho.pdf", escaped_names_pdf())],
    )
    stored = entry.files.get()
    with stored.file.open("rb") as handle:
        assert_clean(handle.read())
