"""A space's photos: checked by content and re-encoded without EXIF or GPS (core.uploads), at most MAX_PHOTOS."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.text import normalize
from learningcity.core.uploads import clean_image

from ..models import LearningSpace, SpacePhoto
from ..rules import can_edit_space

MAX_PHOTOS = 12


def photo_add(*, actor, space: LearningSpace, upload, caption: str) -> SpacePhoto:
    if not can_edit_space(actor, space):
        raise DomainError(_("You may not change this space."), code="forbidden")
    caption = normalize(caption)
    if not caption:
        raise DomainError(_("Describe the photo for people who cannot see it."), field="caption")
    if space.photos.count() >= MAX_PHOTOS:
        raise DomainError(_("A space has at most %(n)s photos.") % {"n": MAX_PHOTOS}, field="photo")
    content = clean_image(upload)
    with transaction.atomic():
        photo = SpacePhoto(city_id=space.city_id, space=space, caption=caption[:200])
        photo.image.save(content.name or "photo.jpg", content, save=False)
        photo.save()
        audit.record_create(actor=actor, obj=photo, note=str(space)[:200])
    return photo


def photo_delete(*, actor, photo: SpacePhoto) -> None:
    if not can_edit_space(actor, photo.space):
        raise DomainError(_("You may not change this space."), code="forbidden")
    with transaction.atomic():
        audit.record_delete(actor=actor, obj=photo, note=str(photo.space)[:200])
        photo.image.delete(save=False)
        photo.delete()
