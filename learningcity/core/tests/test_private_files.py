"""Private uploads are never served from /media/: the nginx site serves only space photos there, and the private
location that X-Accel-Redirect points at is `internal`. The config is parsed and each upload folder the models
write to is resolved as nginx would (longest prefix, `^~` stopping regexes)."""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404

from learningcity.core.private_files import private_file_response

DEPLOY = Path(settings.BASE_DIR) / "deploy"
SITE = DEPLOY / "nginx" / "learningcity.conf"
PUBLIC_UPLOADS = {("places", "spacephoto", "image")}  # the only upload anyone may fetch from /media/


@dataclass
class Block:
    name: str
    args: list[str]
    directives: list[list[str]] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)

    def directive(self, name: str) -> list[str] | None:
        return next((d[1:] for d in self.directives if d[0] == name), None)


def parse(text: str) -> Block:
    """nginx's syntax: words, quoted strings, `;` ends a directive, `{ }` a block, `#` a comment."""
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[{};]|[^\s{};#"\']+|#[^\n]*', text)
    root = Block("root", [])
    stack, words = [root], []
    for token in tokens:
        if token.startswith("#"):
            continue
        if token == ";":
            stack[-1].directives.append(words)
            words = []
        elif token == "{":
            block = Block(words[0], words[1:])
            stack[-1].children.append(block)
            stack.append(block)
            words = []
        elif token == "}":
            stack.pop()
        else:
            words.append(token.strip("\"'"))
    assert len(stack) == 1, "unbalanced nginx config"
    assert not words, "unbalanced nginx config"
    return root


def https_server() -> Block:
    servers = [b for b in parse(SITE.read_text()).children if b.name == "server"]
    return next(s for s in servers if any(d[:2] == ["listen", "443"] for d in s.directives))


def env_example(name: str) -> str:
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line.startswith(f"{name}="):
            return line.split("=", 1)[1].split()[0]
    raise AssertionError(f"{name} is not in deploy/env.example")


MEDIA_ROOT = env_example("DATA_DIR").rstrip("/") + "/media/"


def _find(block: Block, uri: str) -> tuple[Block, bool]:
    """nginx's ngx_http_core_find_location: an exact match ends the search; else the longest prefix, whose own
    nested locations are searched; a regex there ends it; else, unless that prefix is `^~`, the first regex of
    this level that matches wins (and is searched in turn). Returns (location, final)."""
    locations = [loc for loc in block.children if loc.name == "location"]
    for loc in locations:
        if loc.args[0] == "=" and loc.args[1] == uri:
            return loc, True
    prefixes = [loc for loc in locations if (len(loc.args) == 1 or loc.args[0] == "^~")]
    matching = [loc for loc in prefixes if uri.startswith(loc.args[-1])]
    longest = max(matching, key=lambda loc: len(loc.args[-1]), default=None)
    candidate = block
    if longest is not None:
        candidate, final = _find(longest, uri)
        if final:
            return candidate, True
        if longest.args[0] == "^~":
            return candidate, False
    for loc in locations:
        flags = re.IGNORECASE if loc.args[0] == "~*" else 0
        if loc.args[0] in ("~", "~*") and re.search(loc.args[1], uri, flags):
            return _find(loc, uri)[0], True
    return candidate, False


def resolve(server: Block, uri: str) -> Block:
    return _find(server, uri)[0]


def serves_from_disk(loc: Block) -> str | None:
    target = loc.directive("alias") or loc.directive("root")
    return target[0] if target else None


def upload_folders() -> list[tuple[tuple[str, str, str], str]]:
    """Where each model's file fields write (a stand-in object fills the ids), plus the staging folder."""
    stand_in = types.SimpleNamespace(city_id=7, space_id=8, entry_id=9, token="t0k3n", pk=1, id=1)
    found = []
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField):
                upload_to = f.upload_to
                name = upload_to(stand_in, "file.pdf") if callable(upload_to) else f"{upload_to}file.pdf"
                found.append(((model._meta.app_label, model._meta.model_name, f.name), name))
    found.append((("core", "staging", "file"), "staging/abc.xlsx"))
    return found


def test_every_file_field_is_known():
    keys = {key for key, _ in upload_folders()}
    assert ("analytics", "manualvalue", "evidence") in keys
    assert ("competitions", "entryfile", "file") in keys
    assert keys >= PUBLIC_UPLOADS


# Ids name the field only: some folders hold a random part, and xdist's workers must collect the same ids.
@pytest.mark.parametrize(
    ("key", "name"), [pytest.param(key, name, id="/".join(key)) for key, name in upload_folders()]
)
def test_nginx_serves_only_public_uploads_from_media(key, name):
    server = https_server()
    loc = resolve(server, f"/media/{name}")
    if key in PUBLIC_UPLOADS:
        target = serves_from_disk(loc)
        assert target, loc
        assert target.startswith(MEDIA_ROOT), loc
        assert target != MEDIA_ROOT, loc
        assert f"/media/{name}".startswith(loc.args[-1])
        assert name.startswith(target[len(MEDIA_ROOT) :])
    else:
        assert serves_from_disk(loc) is None, f"/media/{name} is served from disk by {loc.args}"
        assert loc.directive("return") == ["404"], loc
        assert "internal" not in [d[0] for d in loc.directives]


def test_no_public_location_reaches_the_whole_media_root():
    server = https_server()

    def locations(block):
        for child in block.children:
            if child.name == "location":
                yield child
                yield from locations(child)

    for loc in locations(server):
        target = serves_from_disk(loc)
        internal = any(d[0] == "internal" for d in loc.directives)
        if target and target.rstrip("/") + "/" == MEDIA_ROOT:
            assert internal, f"location {loc.args} serves the whole media root to anyone"


def test_the_private_location_is_internal_and_is_the_settings_prefix():
    prefix = env_example("PRIVATE_MEDIA_ACCEL_REDIRECT")
    loc = resolve(https_server(), prefix + "analytics/evidence/1/x.pdf")
    assert loc.args[-1] == prefix
    assert ["internal"] in loc.directives
    assert serves_from_disk(loc) == MEDIA_ROOT
    assert loc.directive("add_header")[:2] == ["X-Content-Type-Options", "nosniff"]


def _stored(name: str, data: bytes) -> FieldFile:
    saved = default_storage.save(name, ContentFile(data))
    file = FieldFile(None, models.FileField(), saved)
    file.storage = default_storage
    return file


def test_without_the_setting_django_streams_the_file(db, settings):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = ""
    file = _stored("analytics/evidence/1/a.pdf", b"%PDF-1.4 x")
    response = private_file_response(file, filename="a.pdf", content_type="application/pdf")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
    assert "X-Accel-Redirect" not in response
    assert response["Content-Disposition"] == 'attachment; filename="a.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_with_the_setting_nginx_gets_the_path_and_no_body(db, settings):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_private_media"  # with or without the last slash
    file = _stored("competitions/1/x y.jpg", b"\xff\xd8\xff")
    response = private_file_response(file, filename="E-12.jpg", content_type="image/jpeg", attachment=False)
    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/_private_media/" + file.name.replace(" ", "%20")
    assert response["Content-Disposition"] == 'inline; filename="E-12.jpg"'
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    "name", ["", "../etc/passwd", "/etc/passwd", "analytics/../../x", "missing/file.pdf"]
)
def test_odd_or_missing_names_are_not_found(db, settings, name):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_private_media/"
    file = FieldFile(None, models.FileField(), name)
    file.storage = default_storage
    with pytest.raises(Http404):
        private_file_response(file, filename="x")
