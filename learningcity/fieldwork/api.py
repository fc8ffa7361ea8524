"""Field app API: a phone registers, takes its bundle, and sends its waiting actions (session or token)."""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Header, Router, Status

from learningcity.core.api_auth import api_city_get, token_or_session
from learningcity.core.errors import DomainError, PermissionDeniedError
from learningcity.core.schemas import ErrorOut

from . import selectors, services
from .models import Device
from .schemas import BundleOut, DeviceIn, DeviceOut, DeviceStatusOut, GoneOut, SyncIn, SyncOut

router = Router(tags=["fieldwork"])
DEVICE_HEADER = "X-Field-Device"
WIPE = '"cache", "cookies", "storage"'
DEVICE_DOC = f"The device's key, from registering, in the {DEVICE_HEADER} header."


def signed_out_response(request: HttpRequest, device: Device) -> JsonResponse:
    """410 with Clear-Site-Data: the browser drops the site's caches, storage and cookies; the app wipes too."""
    services.device_wiped(device=device)
    if hasattr(request, "session"):
        request.session.flush()
    response = JsonResponse(
        {
            "detail": _("This device was signed out by the city administrator: what it kept is erased."),
            "wipe": True,
        },
        status=410,
    )
    response["Clear-Site-Data"] = WIPE
    return response


def _device(request, slug: str, key: str) -> Device | JsonResponse:
    city = api_city_get(request, slug)
    device = selectors.device_get(city=city, key=key)
    if device is None:
        raise DomainError(
            _("This device is not registered in this city."), field=DEVICE_HEADER, code="not_found"
        )
    if not device.active:
        return signed_out_response(request, device)
    if device.user_id != request.user.pk:
        raise PermissionDeniedError(_("This phone was prepared by another person."))
    return device


@router.post(
    "/cities/{slug}/field/devices",
    response={201: DeviceOut, 403: ErrorOut},
    auth=token_or_session,
    summary="Register this phone for the field app",
)
def device_register(request, slug: str, payload: DeviceIn):
    city = api_city_get(request, slug)
    device = services.device_register(actor=request.user, city=city, label=payload.label)
    return Status(
        201,
        {"device": str(device.key), "registered_at": device.registered_at, "keep_days": services.keep_days()},
    )


@router.get(
    "/cities/{slug}/field/device",
    response={200: DeviceStatusOut, 400: ErrorOut, 403: ErrorOut, 410: GoneOut},
    auth=token_or_session,
    summary="This phone's status (a signed-out phone is told to wipe)",
    description=DEVICE_DOC,
)
def device_status(request, slug: str, x_field_device: str = Header("", alias=DEVICE_HEADER)):
    device = _device(request, slug, x_field_device)
    if isinstance(device, JsonResponse):
        return device
    services.device_contact(device=device)
    return {
        "device": str(device.key),
        "active": device.active,
        "bundle_at": device.bundle_at,
        "keep_days": services.keep_days(),
    }


@router.get(
    "/cities/{slug}/field/bundle",
    response={200: BundleOut, 400: ErrorOut, 403: ErrorOut, 410: GoneOut},
    auth=token_or_session,
    summary="What this phone may keep offline",
    description=DEVICE_DOC + " Only what the person's role may see; never ethnicity or disability.",
)
def bundle(request, slug: str, x_field_device: str = Header("", alias=DEVICE_HEADER)):
    device = _device(request, slug, x_field_device)
    if isinstance(device, JsonResponse):
        return device
    data = selectors.bundle_for(city=device.city, user=request.user)
    services.device_contact(device=device, bundle=True)
    return data


@router.post(
    "/cities/{slug}/field/sync",
    response={200: SyncOut, 400: ErrorOut, 403: ErrorOut, 410: GoneOut},
    auth=token_or_session,
    summary="Send this phone's waiting actions, in order; each is applied once",
    description=DEVICE_DOC
    + " Each answer is applied, duplicate (already applied: not again) or conflict (with code and reason);"
    " a conflict does not stop the actions after it.",
)
def sync(request, slug: str, payload: SyncIn, x_field_device: str = Header("", alias=DEVICE_HEADER)):
    device = _device(request, slug, x_field_device)
    if isinstance(device, JsonResponse):
        return device
    return services.sync_apply(
        device=device, user=request.user, actions=[a.dict() for a in payload.actions], sent_at=payload.sent_at
    )
