from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _


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
