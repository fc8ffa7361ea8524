"""Pages of the field app: the app shell (two pages with no data in them, cached by the service worker), the
service worker and manifest, and the city administrator's list of devices."""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError
from learningcity.core.permissions import is_city_admin
from learningcity.core.scan import CAMERA_POLICY, scan_texts

from . import selectors, services
from .models import Device

# What the service worker keeps ahead of time (besides the shell pages): scripts, style, icons. The first six are
# also the worker's own scripts (importScripts): keep them first.
WORKER_SCRIPTS = [  # what the service worker itself loads (importScripts): Workbox, idb, Background Sync
    "fieldwork/vendor/workbox/workbox-core.prod.js",
    "fieldwork/vendor/workbox/workbox-routing.prod.js",
    "fieldwork/vendor/workbox/workbox-strategies.prod.js",
    "fieldwork/vendor/workbox/workbox-precaching.prod.js",
    "fieldwork/vendor/idb/umd.js",
    "fieldwork/field-sw.js",
]
STATIC_FILES = [  # everything the worker precaches: its own scripts and the pages' files
    *WORKER_SCRIPTS,
    "fieldwork/field.js",
    "fieldwork/field.css",
    "core/scan.js",  # the check-in page's badge scanner, and its decoder where there is no BarcodeDetector
    "core/vendor/jsqr/jsQR.min.js",
    "fieldwork/icon-192.png",
    "fieldwork/icon-512.png",
]
SHELLS = [
    ("field_home", "fieldwork/home.html"),
    ("field_roster", "fieldwork/roster.html"),
    ("field_bookcase", "fieldwork/bookcase.html"),
    ("field_checkin", "fieldwork/checkin.html"),
]


def _texts() -> dict[str, str]:
    """The app's words for its script, in the page's language (a JSON block: no inline script)."""
    return {
        "online": _("Online"),
        "offline": _("No connection: your work is kept on this phone"),
        "nothing_kept": _("Nothing is kept on this phone yet. While online, press “Prepare this phone”."),
        "kept": _(
            "Kept on this phone: %(programmes)s programmes, %(sessions)s sessions, %(people)s people, from %(when)s, until %(until)s."
        ),
        "expired": _("What this phone kept has expired and was erased: refresh it while online."),
        "role_gone": _("Your role no longer lets this phone keep data: what it kept was erased."),
        "signin": _("Sign in again (while online) to prepare or send."),
        "wiped": _("This phone was signed out by the city administrator: what it kept is erased."),
        "refreshing": _("Taking the latest data…"),
        "refreshed": _("Up to date."),
        "no_connection": _("No connection: try again when the signal returns."),
        "waiting": _("%(n)s waiting to send"),
        "none_waiting": _("Everything is sent."),
        "sending": _("Sending %(done)s of %(total)s…"),
        "sent": _("Sent: %(applied)s saved, %(conflicts)s need your decision."),
        "waiting_one": _("waiting to send"),
        "needs_decision": _("needs your decision (on the app's first page)"),
        "present_count": _("%(n)s present"),
        "discard": _("Drop it"),
        "discard_confirm": _("Drop this action? It will not be sent."),
        "retry": _("Try again"),
        "apply_to": _("Apply to %(name)s"),
        "use_member": _("It is %(name)s: mark present"),
        "force": _("Keep mine"),
        "force_new": _("Add as a new person"),
        "send_anyway": _("Send anyway"),
        "send_as_new": _("Send as new"),
        "present": _("Present: %(name)s"),
        "absent": _("Absent: %(name)s"),
        "newcomer": _("New person: %(name)s"),
        "headcount": _("Headcount: %(n)s people"),
        "no_session": _("This session is not kept on this phone."),
        "cancelled": _("cancelled"),
        "new_person": _("new"),
        "no_sessions": _("No sessions in the coming weeks."),
        "counted": _("Counted so far: %(n)s"),
        "kept_counts": _("The counts are kept on this phone and will be sent."),
        "bookcases": _("Bookcases"),
        "kept_since": _("Kept from %(when)s until %(until)s."),
        "kept_books": _("%(copies)s copies and %(loans)s loans of %(bookcases)s bookcases"),
        "no_bookcase": _("This bookcase is not kept on this phone."),
        "on_loan": _("%(n)s on loan"),
        "lent": _("Lent: %(title)s to %(card)s"),
        "taken_back": _("Taken back: %(title)s"),
        "unknown_copy": _(
            "This barcode is not among the copies kept for this bookcase: it will be checked when sent."
        ),
        "unknown_card": _(
            "This card is not among those kept for this bookcase: it will be checked when sent."
        ),
        "due": _("due %(date)s"),
        "kept_action": _("Kept on this phone: it will be sent."),
        "kept_events": _("%(events)s events with %(people)s delegates"),
        "no_event": _("This event is not kept on this phone."),
        "checked_in": _("checked in"),
        "check_in": _("Check in"),
        "checkin_count": _("%(n)s of %(total)s checked in"),
        "checkin_label": _("Check-in: %(name)s"),
        "checkin_done": _("%(name)s: checked in (waiting to send)."),
        "already_in": _("%(name)s is already checked in: nothing to send."),
        "unknown_badge": _(
            "This code is not among the badges kept for this event: it will be checked when sent."
        ),
        **scan_texts(),
    }


@cache
def _file_revision(path: str) -> str:
    found = finders.find(path)
    if not found:
        return "0"
    with open(found if isinstance(found, str) else found[0], "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:16]


def _shell_context(city) -> dict:
    from learningcity.core.demography import AGE_BAND_CODES, Sex

    return {
        "city": city,
        "texts": _texts(),
        "api": f"/api/v1/cities/{city.slug}/field",
        "sexes": Sex.choices,
        "bands": AGE_BAND_CODES,
        "login_url": reverse("login") + "?next=" + reverse("field_home", kwargs={"city_slug": city.slug}),
    }


def _language(request) -> str:
    """`?lang=` when given (the page registers its worker in its own language, and the worker precaches the
    pages in that language: requests made by a worker need not carry the page's cookie or Accept-Language)."""
    language = request.GET.get("lang", "")
    return language if language in dict(settings.LANGUAGES) else translation.get_language()


def _shell(request, city, template: str) -> HttpResponse:
    get_token(request)  # the CSRF cookie the app's script sends back; the cached page holds no token
    with translation.override(_language(request)):
        response = render(request, template, _shell_context(city))
    response["Cache-Control"] = "no-cache"
    return response


@with_city
def field_home(request, city):
    return _shell(request, city, "fieldwork/home.html")


@with_city
def field_roster(request, city):
    return _shell(request, city, "fieldwork/roster.html")


@with_city
def field_bookcase(request, city):
    return _shell(request, city, "fieldwork/bookcase.html")


@with_city
def field_checkin(request, city):
    response = _shell(request, city, "fieldwork/checkin.html")
    response["Permissions-Policy"] = CAMERA_POLICY
    return response


@with_city
def service_worker(request, city):
    """The service worker (scope: this city's /field/): Workbox precaches the shell pages and static files,
    each with a revision, so a changed file or another language makes the phone fetch it again."""
    language = _language(request)
    with translation.override(language):
        return _service_worker(city, language)


def _service_worker(city, language: str) -> HttpResponse:
    entries = [{"url": static(path), "revision": _file_revision(path)} for path in STATIC_FILES]
    context = _shell_context(city)
    for name, template in SHELLS:
        html = render_to_string(template, context)
        entries.append(
            {
                "url": reverse(name, kwargs={"city_slug": city.slug}) + f"?lang={language}",
                "revision": hashlib.sha256(html.encode()).hexdigest()[:16],
            }
        )
    body = render_to_string(
        "fieldwork/sw.js",
        {
            "city": city,
            "language": language,
            "scripts": json.dumps([static(p) for p in WORKER_SCRIPTS]),
            "db": f"lc-field-{city.slug}",
            "api": f"/api/v1/cities/{city.slug}/field",
            "manifest": json.dumps(entries),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@with_city
def manifest(request, city):
    with translation.override(_language(request)):
        return _manifest(city)


def _manifest(city) -> JsonResponse:
    home = reverse("field_home", kwargs={"city_slug": city.slug})
    data = {
        "name": _("%(city)s · Field app") % {"city": city.name},
        "short_name": _("Field app"),
        "description": _("Attendance, headcounts and newcomers with or without a connection."),
        "lang": translation.get_language(),
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d5c4d",
        "icons": [
            {"src": static("fieldwork/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {
                "src": static("fieldwork/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
        ],
    }
    response = JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "no-cache"
    return response


def _admin(request, city) -> None:
    if not is_city_admin(request.user, city):
        raise PermissionDenied(_("Only a city administrator may manage field devices."))


@with_city
@staff_only
def device_list(request, city):
    _admin(request, city)
    return render(
        request,
        "fieldwork/devices.html",
        {"city": city, "devices": selectors.device_list(city=city)[:500], "keep_days": services.keep_days()},
    )


@require_POST
@with_city
@staff_only
def device_sign_out(request, city, device_id: int):
    _admin(request, city)
    device = get_object_or_404(Device.objects.for_city(city), pk=device_id)
    try:
        services.device_sign_out(actor=request.user, device=device)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(device)s is signed out: what it kept is erased at its next contact.") % {"device": device},
        )
    return redirect("field_devices", city_slug=city.slug)
