"""Deployment checks, security headers and CSP, request size limits, login throttling and the way back."""

import re
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from learningcity.core.tests.factories import PASSWORD

BASE_DIR = Path(settings.BASE_DIR)


def test_check_deploy_reports_nothing_with_a_real_secret(tmp_path):
    secret = "".join(
        secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)") for _ in range(50)
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": secret,
        "DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr
    assert "WARNINGS" not in done.stdout + done.stderr


def test_debug_off_without_a_secret_refuses_to_start(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DEBUG": "0", "DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr


@pytest.mark.parametrize(
    "path", ["/", "/son-la/", "/accounts/login/", "/api/v1/cities", "/api/v1/docs", "/nowhere/"]
)
def test_security_headers_and_csp_without_inline_script(client, city, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "http" not in directives["style-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def assert_no_inline_code(html: str, where: str) -> None:
    assert not INLINE_SCRIPT.search(html), f"inline <script> on {where}"
    assert not INLINE_HANDLER.search(html), f"inline event handler on {where}"
    assert not INLINE_STYLE.search(html), f"style attribute on {where}"
    assert "https://" not in re.sub(r'href="https://[^"]*"', "", html), f"third-party asset on {where}"


def test_core_pages_have_no_inline_script_or_style(client, city, areas, people):
    client.force_login(people["city_admin"])
    pages = [
        "/",
        "/son-la/",
        "/son-la/manage/",
        "/son-la/manage/areas/",
        "/son-la/manage/areas/new/",
        f"/son-la/manage/areas/{areas['me_ban'].pk}/edit/",
        "/son-la/manage/areas/import/",
        "/son-la/manage/audit/",
        "/api/v1/docs",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_inline_code(response.content.decode(), path)
    client.logout()
    for path in ["/accounts/login/", "/accounts/password-reset/", "/atlantis/"]:
        assert_no_inline_code(client.get(path).content.decode(), path)


def test_api_docs_load_vendored_swagger_from_static(client, db):
    html = client.get("/api/v1/docs").content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts
    assert all(s.startswith("/static/") for s in scripts), scripts
    assert any("swagger-ui-bundle" in s for s in scripts)
    for src in scripts:
        assert client.get(src).status_code == 200, src


def test_oversize_request_is_refused_before_any_view(client, city, people, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    client.force_login(people["city_admin"])
    body = "x" * 5000
    response = client.post("/son-la/manage/areas/new/", data=body, content_type="text/plain")
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]
    api = client.post("/api/v1/cities/son-la/areas", data=body, content_type="application/json")
    assert api.status_code == 413


def test_large_form_body_is_refused_not_a_server_error(client, city, areas, people, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    client.force_login(people["city_admin"])
    response = client.post(
        "/son-la/manage/areas/new/",
        data={"name_vi": "x" * 10_000, "code": "A", "parent": areas["chieng_coi"].pk},
    )
    assert response.status_code in (400, 413)
    api = client.post(
        "/api/v1/cities/son-la/areas", data={"name_vi": "x" * 10_000}, content_type="application/json"
    )
    assert api.status_code in (400, 413)
    assert not city.areas.filter(name_vi__startswith="xxxx").exists()


def _try(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_tenth_wrong_password_locks_the_account_and_reset_by_email_unlocks_it(client, city, people):
    user = people["viewer"]
    for attempt in range(1, 10):
        response = _try(client, user.username, f"wrong-{attempt}")
        assert response.status_code == 200, attempt
        assert "Log in" in response.content.decode() or "Đăng nhập" in response.content.decode()
    locked = _try(client, user.username, "wrong-10")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Tài khoản bị khoá" in page  # "Account locked", in the visitor's language (Vietnamese)
    assert "/accounts/password-reset/" in page  # the way back
    # Even the right password is refused while the lock holds; another account is not affected.
    assert _try(client, user.username, PASSWORD).status_code == 429
    assert _try(client, people["judge"].username, PASSWORD).status_code == 302

    # The way back: a reset link by e-mail, a new password, and the lock is lifted.
    client.logout()
    response = client.post("/accounts/password-reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new_password = "a-fresh-start-2025"
    done = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    assert _try(client, user.username, new_password).status_code == 302


def test_lockout_message_is_english_for_english_visitors(client, people, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _try(client, people["viewer"].username, "nope-1")
    page = _try(client, people["viewer"].username, "nope-2").content.decode()
    assert "Account locked" in page
    assert "Reset my password" in page


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2(db):
    from learningcity.core.tests.factories import UserFactory

    user = UserFactory()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)
