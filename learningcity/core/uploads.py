"""Checking uploaded images by their content, and re-encoding them without EXIF or GPS data."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .errors import DomainError

ALLOWED_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_IMAGE_PIXELS = 40_000_000  # decompression-bomb guard: about 7,300 x 5,400
MAX_IMAGE_SIDE = 2400  # what we keep: enough for any phone screen


def clean_image(upload, *, max_bytes: int | None = None) -> ContentFile:
    """A re-encoded copy of an uploaded JPEG, PNG or WebP image, stripped of metadata.

    Refuses anything else (whatever its name says), oversize files and decompression bombs.
    """
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise DomainError(
            _("The image is too large (%(size)s MB; the limit is %(limit)s MB).")
            % {"size": round(size / 1e6, 1), "limit": round(limit / 1e6, 1)},
            field="photo",
        )
    data = upload.read()
    if len(data) > limit:
        raise DomainError(_("The image is too large."), field="photo")
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format or ""
            if fmt not in ALLOWED_IMAGE_FORMATS:
                raise DomainError(_("Only JPEG, PNG or WebP images are accepted."), field="photo")
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise DomainError(_("The image has too many pixels to be processed safely."), field="photo")
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            from PIL import ImageOps

            image: Image.Image = ImageOps.exif_transpose(opened)
            image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            # Saving without exif=/pnginfo= drops EXIF, GPS and text chunks.
            image.save(out, format=fmt, quality=85) if fmt != "PNG" else image.save(
                out, format=fmt, optimize=True
            )
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise DomainError(_("The file is not a readable JPEG, PNG or WebP image."), field="photo") from None
    return ContentFile(out.getvalue(), name=f"image.{ALLOWED_IMAGE_FORMATS[fmt]}")
