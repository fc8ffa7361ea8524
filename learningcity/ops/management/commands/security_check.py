"""`manage.py security_check`: the deployment checks, cookie flags and CSRF, probed through the real stack.

Runs Django's deployment checks, then sends requests through the whole middleware stack (Django's test client,
as over https) inside a transaction that is rolled back: the login form's CSRF cookie, a login without the CSRF
token (must be refused), a real login (the session cookie's flags), the language switch (its cookie's flags) and
an API write with the session but no CSRF token (must be refused). Exits 1 on any problem.

    DEBUG=0 SECRET_KEY=... SECURE_COOKIES=1 SECURE_SSL_REDIRECT=1 manage.py security_check
"""

import re
import secrets

from django.conf import settings
from django.core.checks import run_checks
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.test.utils import setup_test_environment, teardown_test_environment

TLS_ONLY = {"security.W004", "security.W008", "security.W012", "security.W016"}


class Rollback(Exception):
    pass


def flags(cookie) -> dict[str, object]:
    return {
        "secure": bool(cookie["secure"]),
        "httponly": bool(cookie["httponly"]),
        "samesite": cookie["samesite"] or "",
    }


class Command(BaseCommand):
    help = "Deployment checks, cookie flags and CSRF, probed with real requests (nothing is kept)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loopback",
            action="store_true",
            help="Plain HTTP on 127.0.0.1: the TLS-only warnings are expected.",
        )

    def handle(self, *args, loopback, **options):
        problems: list[str] = []
        ignored = TLS_ONLY if loopback else set()
        for message in run_checks(include_deployment_checks=True):
            if message.is_silenced() or message.id in ignored or message.level < 30:
                continue
            problems.append(f"check {message.id}: {message.msg}")
        want_secure = settings.SESSION_COOKIE_SECURE and not loopback
        setup_test_environment()
        try:
            with transaction.atomic():
                problems += self.probe(want_secure)
                raise Rollback
        except Rollback:
            pass
        finally:
            teardown_test_environment()
        for p in problems:
            self.stdout.write(f"PROBLEM {p}")
        if problems:
            raise CommandError(f"{len(problems)} security problem(s).")
        self.stdout.write("Security check passed: deployment checks, cookie flags, CSRF on forms and API.")

    def probe(self, want_secure: bool) -> list[str]:
        from learningcity.core.models import User

        problems: list[str] = []
        host = (settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip(".").replace("*", "localhost")
        client = Client(enforce_csrf_checks=True, HTTP_HOST=host)
        # Over https Django also checks the Referer of a POST: send the one a browser would.
        secure: dict = {"secure": True, "HTTP_REFERER": f"https://{host}/accounts/login/"}

        def expect(name, cookie, secure_flag, httponly):
            got = flags(cookie)
            want = {"secure": secure_flag, "httponly": httponly, "samesite": "Lax"}
            line = f"{name}: secure={got['secure']} httponly={got['httponly']} samesite={got['samesite']}"
            self.stdout.write("  " + line)
            if got != want:
                problems.append(f"{line}; expected {want}")

        page = client.get("/accounts/login/", **secure)
        token = client.cookies.get(settings.CSRF_COOKIE_NAME)
        if page.status_code != 200 or token is None:
            return [f"login page answered {page.status_code} without a CSRF cookie"]
        expect(settings.CSRF_COOKIE_NAME, token, want_secure, False)

        password = secrets.token_urlsafe(16)
        user = User.objects.create_user(username=f"security-check-{secrets.token_hex(4)}", password=password)
        refused = client.post("/accounts/login/", {"username": user.username, "password": password}, **secure)
        self.stdout.write(f"  login without CSRF token: {refused.status_code}")
        if refused.status_code != 403:
            problems.append(f"a login without the CSRF token answered {refused.status_code}, not 403")

        form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        logged = client.post(
            "/accounts/login/",
            {
                "username": user.username,
                "password": password,
                "csrfmiddlewaretoken": form_token.group(1) if form_token else "",
            },
            **secure,
        )
        session = client.cookies.get(settings.SESSION_COOKIE_NAME)
        if logged.status_code != 302 or session is None:
            problems.append(f"the login with the CSRF token answered {logged.status_code} without a session")
        else:
            expect(settings.SESSION_COOKIE_NAME, session, want_secure, True)

        switched = client.post(
            "/i18n/setlang/",
            {
                "language": "en",
                "next": "/",
                "csrfmiddlewaretoken": client.cookies[settings.CSRF_COOKIE_NAME].value,
            },
            **secure,
        )
        language = client.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        if switched.status_code != 302 or language is None:
            problems.append(f"the language switch answered {switched.status_code} without its cookie")
        else:
            expect(settings.LANGUAGE_COOKIE_NAME, language, want_secure, True)

        api = client.post(
            "/api/v1/cities/son-la/areas", data="{}", content_type="application/json", **secure
        )  # session, no CSRF token
        self.stdout.write(f"  API write with the session but no CSRF token: {api.status_code}")
        if api.status_code not in (401, 403):
            problems.append(f"an API write with the session and no CSRF token answered {api.status_code}")
        return problems
