"""A full disk is a clear answer, not a server error.

When the disk that holds MEDIA_ROOT (or the database's, on SQLite) is full, saving an upload raises OSError
ENOSPC (or EDQUOT over a quota) from deep inside the storage. Without this, the person sees the generic
"Server Error (500)" and does not know whether her file was kept. This answers 507 with a message that says
what happened and that nothing was saved (the service's transaction was rolled back with the exception), in
the page's language, as JSON for the API; and it logs a critical line for the operator.
"""

import errno
import logging

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger("learningcity.ops")
FULL = {errno.ENOSPC, errno.EDQUOT}


def disk_full(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in FULL:
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


class DiskFullMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not disk_full(exception):
            return None
        logger.critical("Disk full while answering %s %s: %s", request.method, request.path, exception)
        message = _(
            "The server's disk is full, so what you sent was not saved and nothing was changed. "
            "Please try again later, and tell the city's administrator."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=507)
        try:
            body = render_to_string("ops/disk_full.html", {"message": message}, request=request)
        except Exception:  # the page itself may need the disk: fall back to plain text
            return HttpResponse(message, status=507, content_type="text/plain; charset=utf-8")
        return HttpResponse(body, status=507)
