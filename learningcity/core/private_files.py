"""Private uploads (evidence, competition entries): served only by a view that has checked permission.

nginx serves publicly only what is public under MEDIA_ROOT (space photos, /media/spaces/) and refuses the rest
(deploy/nginx/learningcity.conf). A view that has checked the person returns `private_file_response`: with
PRIVATE_MEDIA_ACCEL_REDIRECT set (production, e.g. "/_private_media/"), an empty answer whose X-Accel-Redirect
names the file under that `internal` nginx location, so nginx sends the bytes and no gunicorn thread is tied up;
unset (development, tests), Django streams the file itself (FileResponse).
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _


def _accel_prefix() -> str:
    prefix = getattr(settings, "PRIVATE_MEDIA_ACCEL_REDIRECT", "") or ""
    return prefix.rstrip("/") + "/" if prefix else ""


def private_file_response(
    file: FieldFile, *, filename: str, content_type: str = "application/octet-stream", attachment: bool = True
) -> HttpResponseBase:
    """The file behind `file` for a person the caller has already authorised.

    `filename` is what the browser saves it as; `attachment=False` lets images show in the page (competition
    galleries). Never sniffed, sandboxed, never cached by a shared cache."""
    name = file.name or ""
    if not name or ".." in name.split("/") or name.startswith("/"):
        raise Http404(_("No such file."))
    if not file.storage.exists(name):
        raise Http404(_("No such file."))
    prefix = _accel_prefix()
    response: HttpResponseBase
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(name)
        response["Content-Disposition"] = content_disposition_header(attachment, filename) or "attachment"
    else:
        response = FileResponse(
            file.open("rb"), content_type=content_type, filename=filename, as_attachment=attachment
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
