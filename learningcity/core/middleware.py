import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .freshness import FRESHNESS_SECONDS


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no inline script, no third-party origin) and a strict Permissions-Policy.

    The policy is the same on every page, the interactive API docs included: django-ninja's Swagger page
    loads its script from /static/ninja/ and reads its settings from a JSON block, so it needs no inline script.
    Requests whose declared body is larger than MAX_UPLOAD_BYTES are refused with 413 before any view reads them.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = settings.CONTENT_SECURITY_POLICY
        self.max_bytes = settings.MAX_UPLOAD_BYTES

    def __call__(self, request):
        response = self._too_large(request) or self.get_response(request)
        response.setdefault("Content-Security-Policy", self.csp)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self), payment=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    def _too_large(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= self.max_bytes:
            return None
        limit = self.max_bytes // (1024 * 1024)
        with translation.override(translation.get_language_from_request(request)):
            message = _("The request is too large (the limit is %(limit)s MB).") % {"limit": limit}
        return JsonResponse({"detail": message}, status=413)


class ObjectNotFoundMiddleware:
    """A record looked up by id inside the city's scope and not found there is a 404, never a 500.

    Services fetch with `Model.objects.for_city(city).get(pk=...)`; an id of another city (or a deleted one) raises
    DoesNotExist, which is the visitor's "not found", not a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import ObjectDoesNotExist
        from django.http import Http404

        if isinstance(exception, ObjectDoesNotExist):
            from .views import page_not_found

            return page_not_found(request, Http404())
        return None


# Cookies that do not make a page personal: the language (part of the cache key) and the CSRF cookie (a cached page
# never carries a token, see below). Any other cookie (a session, messages) means the page may be someone's own.
_NEUTRAL_COOKIES = frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})


def _anonymous(request) -> bool:
    """No session, no messages, no API token: the request is the same for every visitor of this address."""
    return "HTTP_AUTHORIZATION" not in request.META and _NEUTRAL_COOKIES.issuperset(request.COOKIES)


class PublicPageCacheMiddleware:
    """Anonymous GET pages served from a cache per address (city and page), language and encoding, kept at most
    `PUBLIC_PAGE_MAX_AGE` seconds (3; never more than 5, the freshness promise of public figures, core.freshness).

    Only what is the same for every visitor is stored: a GET or HEAD without a session, messages or API token, a 200
    answer that sets no cookie, that rendered no CSRF token (Django marks `CSRF_COOKIE_USED`), that wrote no session
    and that does not say no-cache/no-store/private (so /healthz is never stored). Signed-in people and API tokens
    always get a fresh page, and staff figures stay live. The store is the "pages" cache of settings.CACHES
    (local memory per process by default, bounded in entries; a file or database cache shares it between workers).
    As in core.freshness, when an entry is older than the limit one request of the process renders it again while
    the others still get the previous copy, if it is younger than 5 s: a rush never renders a page 8 times at once.
    Hits carry `X-Page-Cache: hit` (the throughput benchmark counts them).
    """

    EXCLUDED_PREFIXES = ("/admin/", "/accounts/", "/i18n/", "/static/", "/media/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response
        self.max_age = min(5.0, float(getattr(settings, "PUBLIC_PAGE_MAX_AGE", 0)))
        self.cache = caches["pages"] if self.max_age > 0 else None
        self._rendering: set[str] = set()
        self._lock = threading.Lock()

    def _key(self, request) -> str | None:
        if self.cache is None or request.method not in ("GET", "HEAD") or not _anonymous(request):
            return None
        if request.path.startswith(self.EXCLUDED_PREFIXES):
            return None
        gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        raw = f"{request.get_full_path()}|{getattr(request, 'LANGUAGE_CODE', '')}|{int(gzip)}"
        return "page:" + hashlib.sha256(raw.encode()).hexdigest()

    def __call__(self, request):
        key, cache = self._key(request), self.cache
        if key is None or cache is None:
            return self.get_response(request)
        now = time.time()
        hit = cache.get(key)
        if hit is not None and now - hit[0] < FRESHNESS_SECONDS:
            with self._lock:
                if now - hit[0] >= self.max_age and key not in self._rendering:
                    self._rendering.add(key)  # this request renders it again; the others keep the copy
                    hit = None
            if hit is not None:
                return self._response(hit)
        try:
            response = self.get_response(request)
            if self._storable(request, response):
                entry = (now, response.status_code, list(response.items()), response.content)
                cache.set(key, entry, timeout=FRESHNESS_SECONDS)
        finally:
            with self._lock:
                self._rendering.discard(key)
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_USED") or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        cache_control = response.get("Cache-Control", "")
        return not any(word in cache_control for word in ("no-cache", "no-store", "private"))

    @staticmethod
    def _response(hit):
        _, status, headers, content = hit
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        patch_vary_headers(response, ("Cookie",))  # the same address is another page once signed in
        response["X-Page-Cache"] = "hit"
        return response


class AnonymousGZipMiddleware:
    """GZip for what anonymous visitors read (pages, JSON, GeoJSON, calendars); nothing for signed-in people.

    BREACH reads a secret out of a compressed body when the attacker can also put text into it. An anonymous page
    holds no secret: it carries no CSRF token (the language switch needs none; see PublicPageCacheMiddleware),
    and a page that did render a token is left uncompressed. Pages of signed-in people (CSRF tokens, personal data)
    are never compressed; static files are compressed ahead by WhiteNoise.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.gzip = GZipMiddleware(get_response)

    def __call__(self, request):
        response = self.get_response(request)
        if not _anonymous(request) or request.META.get("CSRF_COOKIE_USED"):
            return response
        return self.gzip.process_response(request, response)
