"""What the check-in pages that scan badges with the camera share (the field app's and the conferences' staff
page): the Permissions-Policy that lets that one page use the camera, and the scanner's texts
(static core/scan.js reads them from the JSON script its box names; the box is templates/core/_scan.html)."""

from __future__ import annotations

from django.utils.translation import gettext as _

# Only a page that scans may use the camera; every other page keeps the site's camera=() (core.middleware).
CAMERA_POLICY = "camera=(self), microphone=(), geolocation=(self), payment=()"


def scan_texts() -> dict[str, str]:
    return {
        "scan_start": _("Scan with the camera"),
        "scan_stop": _("Stop the camera"),
        "scan_hint": _("Hold the badge's QR code in front of the camera."),
        "scan_no_camera": _("The camera cannot be used here: type the code or take a photo of the badge."),
        "scan_none": _("No QR code was found in this photo: try again closer, or type the code."),
    }
