"""The health probe answered in front of Django's middleware (issue 17).

Load balancers, systemd and the benches ask `/healthz` many times a second; through the whole middleware stack
(sessions, language, page cache, CSRF, authentication, lockouts...) it cost most of its time in steps a probe does
not need. `HealthProbe` wraps the WSGI application (config/wsgi.py) and answers `GET`/`HEAD /healthz` by calling
the same view (`core.views.healthz`: the database answers, or 503) between Django's request signals, so kept
connections are checked, closed and recycled exactly as for a page. Every other request goes to Django unchanged;
Django's test client, which calls the handler directly, still reaches the view through its URL.
"""

from __future__ import annotations

from django.core import signals
from django.core.handlers.wsgi import WSGIRequest

PATH = "/healthz"


class HealthProbe:
    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if environ.get("PATH_INFO") != PATH or method not in ("GET", "HEAD"):
            return self.application(environ, start_response)
        from .views import healthz

        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            response = healthz(WSGIRequest(environ))
        finally:
            signals.request_finished.send(sender=self.__class__)
        headers = [*response.items(), ("X-Content-Type-Options", "nosniff")]
        if not response.has_header("Content-Length"):
            headers.append(("Content-Length", str(len(response.content))))
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [b""] if method == "HEAD" else [response.content]
