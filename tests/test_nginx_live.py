"""The nginx site of deploy/ run for real, in front of the app: Debian's nginx loads it (`nginx -t`), proxies to
the app over TLS, throttles a flood from one address with a clear 429, never serves a private upload from /media/,
and sends a private file the app authorised through X-Accel-Redirect.

The deployed files are used as they are; only what belongs to the machine changes: ports, the paths of the
certificate (a self-signed one made here), of the static and media folders and of the proxy snippet, and the
upstream (the test's live server instead of gunicorn). nginx comes from `make system-deps` (Debian's nginx-light),
openssl makes the certificate.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from learningcity.core.private_files import private_file_response

DEPLOY = Path(settings.BASE_DIR) / "deploy" / "nginx"
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls(__name__)]


def _authorised_file(request, name):
    """A stand-in for a view that has checked the person (evidence, entries): it hands the file to nginx."""
    file = FieldFile(None, models.FileField(), name)
    file.storage = default_storage
    return private_file_response(file, filename="entry.pdf", content_type="application/pdf")


urlpatterns = [path("_test/authorised/<path:name>", _authorised_file), *project_urlpatterns]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_for_this_machine(text: str, *, upstream: int, http: int, https: int, tmp: Path) -> str:
    """The deployed site with this machine's ports and paths; every replacement must find its target."""
    swaps = [
        (r"server 127\.0\.0\.1:8000", f"server 127.0.0.1:{upstream}"),
        (r"listen 80;", f"listen 127.0.0.1:{http};"),
        (r"listen 443 ssl([^;]*);", rf"listen 127.0.0.1:{https} ssl\1;"),
        (r"\n\s*listen \[::\]:(80|443)[^;]*;", ""),
        (r"/etc/letsencrypt/live/[^/]+/fullchain\.pem", str(tmp / "cert.pem")),
        (r"/etc/letsencrypt/live/[^/]+/privkey\.pem", str(tmp / "key.pem")),
        (r"/var/lib/learningcity/static/", f"{tmp / 'static'}/"),
        (r"/var/lib/learningcity/media/", f"{settings.MEDIA_ROOT}/"),
        (r"/etc/nginx/snippets/learningcity-proxy\.conf", str(tmp / "learningcity-proxy.conf")),
        (r"/var/www/letsencrypt", str(tmp / "acme")),
    ]
    for pattern, replacement in swaps:
        text, found = re.subn(pattern, replacement, text)
        assert found, f"the deployed nginx site no longer has {pattern!r}: update this test with it"
    return text


@pytest.fixture
def nginx(live_server, tmp_path, settings):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(binary).exists(), "nginx is missing: `make system-deps` installs it"
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_private_media/"
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "site.css").write_text("body{}")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    shutil.copy(DEPLOY / "learningcity-proxy.conf", tmp_path / "learningcity-proxy.conf")
    upstream = int(live_server.url.rsplit(":", 1)[1])
    http, https = _free_port(), _free_port()
    site = site_for_this_machine(
        (DEPLOY / "learningcity.conf").read_text(), upstream=upstream, http=http, https=https, tmp=tmp_path
    )
    user = "user root;\n" if os.geteuid() == 0 else ""  # as root, workers would drop to nobody: tmp is 0700
    main = (
        f"{user}worker_processes 1;\npid {tmp_path / 'nginx.pid'};\nerror_log {tmp_path / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        + "".join(
            f"  {k}_temp_path {tmp_path / k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + site
        + "\n}\n"
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(main)
    checked = subprocess.run(
        [binary, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    proc = subprocess.Popen([binary, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", https), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield {
            "https": f"https://127.0.0.1:{https}",
            "http": f"http://127.0.0.1:{http}",
            "log": tmp_path / "error.log",
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)


_TLS = ssl.create_default_context()
_TLS.check_hostname = False
_TLS.verify_mode = ssl.CERT_NONE  # the certificate was made a moment ago, for this test


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - the test's own nginx
    try:
        with urllib.request.urlopen(request, context=_TLS, timeout=15) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_debian_nginx_loads_the_site_and_proxies_over_tls(nginx):
    status, headers, body = get(nginx["https"] + "/healthz")
    assert status == 200, body[:300]
    assert (
        headers.get("Strict-Transport-Security") is None or "max-age" in headers["Strict-Transport-Security"]
    )
    assert get(nginx["https"] + "/static/site.css")[0] == 200  # from the folder, not the app
    # Plain HTTP is redirected to HTTPS (the health check excepted, for monitors).
    request = urllib.request.Request(nginx["http"] + "/son-la/")  # noqa: S310

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    with pytest.raises(urllib.error.HTTPError) as moved:
        urllib.request.build_opener(NoRedirect).open(request, timeout=10)
    assert moved.value.code == 301
    assert moved.value.headers["Location"].startswith("https://")


def test_a_flood_from_one_address_gets_429_with_a_clear_page_and_others_are_served_after(nginx):
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda _: get(nginx["https"] + "/healthz"), range(400)))
    statuses = [status for status, _h, _b in answers]
    assert set(statuses) <= {200, 429}, sorted(set(statuses))
    assert statuses.count(200) >= 100  # the burst: a school behind one address still gets its pages
    assert statuses.count(429) >= 100  # the rest of a flood is refused at nginx, before the app
    refused = next(body for status, _h, body in answers if status == 429).decode()
    assert "Quá nhiều yêu cầu" in refused
    assert "Too many requests" in refused
    assert '<html lang="vi">' in refused
    time.sleep(1.5)  # the bucket drains at the zone's rate: the same address is served again
    assert get(nginx["https"] + "/healthz")[0] == 200


@pytest.mark.parametrize(
    "url",
    [
        "/media/analytics/evidence/1/a.pdf",
        "/media/competitions/1/entry.pdf",
        "/_private_media/competitions/1/entry.pdf",
    ],
)
def test_private_uploads_are_never_served_by_nginx_directly(nginx, url):
    default_storage.save("analytics/evidence/1/a.pdf", ContentFile(b"%PDF-1.4 secret"))
    default_storage.save("competitions/1/entry.pdf", ContentFile(b"%PDF-1.4 secret"))
    status, _headers, body = get(nginx["https"] + url)
    assert status == 404
    assert b"secret" not in body


def test_space_photos_are_public_but_never_as_a_page_or_script(nginx):
    default_storage.save("spaces/1/photo.jpg", ContentFile(b"\xff\xd8\xffphoto"))
    default_storage.save("spaces/1/trap.svg", ContentFile(b"<svg onload=alert(1)>"))
    status, headers, body = get(nginx["https"] + "/media/spaces/1/photo.jpg")
    assert status == 200
    assert body == b"\xff\xd8\xffphoto"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert get(nginx["https"] + "/media/spaces/1/trap.svg")[0] == 404


def test_a_file_the_app_authorised_is_sent_by_nginx_through_x_accel_redirect(nginx):
    name = default_storage.save("competitions/7/entry one.pdf", ContentFile(b"%PDF-1.4 the entry"))
    status, headers, body = get(nginx["https"] + "/_test/authorised/" + name.replace(" ", "%20"))
    assert status == 200, body[:300]
    assert body == b"%PDF-1.4 the entry"  # the app sent no body: nginx read the file
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == 'attachment; filename="entry.pdf"'
    assert "X-Accel-Redirect" not in headers  # nginx consumes it
    assert headers["X-Content-Type-Options"] == "nosniff"
