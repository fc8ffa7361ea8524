"""What the pages that scan codes with the camera share (the field app's and the conferences' check-in pages: a
badge's QR code; the library desk: a copy's barcode or QR label): the Permissions-Policy that lets that one page
use the camera, and the scanner's texts (static core/scan.js reads them from the JSON script its box names; the
box is templates/core/_scan.html)."""

from __future__ import annotations

from django.utils.translation import gettext as _

# Only a page that scans may use the camera; every other page keeps the site's camera=() (core.middleware).
CAMERA_POLICY = "camera=(self), microphone=(), geolocation=(self), payment=()"


# What the library desk's scanner asks BarcodeDetector for: a copy's label (Code 128, Code 39, EAN-13) or QR code.
BOOK_FORMATS = "qr_code code_128 code_39 ean_13"


def scan_texts(what: str = "badge") -> dict[str, str]:
    """The scanner's texts for scanning a badge (check-in) or a copy (the library desk)."""
    common = {
        "scan_start": _("Scan with the camera"),
        "scan_stop": _("Stop the camera"),
        "scan_read": _("Read: %(code)s"),
    }
    if what == "copy":
        return common | {
            "scan_hint": _("Hold the copy's barcode or QR label in front of the camera."),
            "scan_hint_qr": _("This browser reads QR labels only: type a barcode."),
            "scan_no_camera": _("The camera cannot be used here: type the barcode."),
            "scan_none": _("No code was found in this photo: try again closer, or type the barcode."),
        }
    return common | {
        "scan_hint": _("Hold the badge's QR code in front of the camera."),
        "scan_no_camera": _("The camera cannot be used here: type the code or take a photo of the badge."),
        "scan_none": _("No QR code was found in this photo: try again closer, or type the code."),
    }
