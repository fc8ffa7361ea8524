"""The library of good practice: a practice, its texts per language (with translation status), files, adoption."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.models import City
from learningcity.core.text import fold, normalize
from learningcity.core.uploads import clean_image

from ..access import can_edit_practices
from ..models import (
    PRACTICE_TEXT_FIELDS,
    Cluster,
    Practice,
    PracticeFile,
    PracticeTag,
    PracticeText,
    TranslationStatus,
)

MAX_TEXT = 20_000
MAX_DOCUMENT_BYTES = 10_000_000
TAG_RE = re.compile(r"^[A-Za-z0-9.\- ]{1,40}$")


def _check_editor(actor, city: City) -> None:
    if actor is not None and not can_edit_practices(actor, city):
        raise DomainError(
            _("Only the city's administrators and area coordinators may edit practices."), code="forbidden"
        )


def _clean_tags(values, field: str) -> list[str]:
    out = []
    for value in values or []:
        value = normalize(str(value))
        if not value:
            continue
        if not TAG_RE.match(value):
            raise DomainError(
                _("A tag may hold letters, digits, dots and dashes only: %(tag)s") % {"tag": value[:40]},
                field=field,
            )
        if value not in out:
            out.append(value)
    return out[:30]


def _clean_texts(texts: dict) -> dict:
    cleaned = {name: normalize(str(texts.get(name) or "")) for name in PRACTICE_TEXT_FIELDS}
    if not cleaned["title"]:
        raise DomainError(_("The practice needs a title."), field="title")
    if not cleaned["summary"]:
        raise DomainError(_("The practice needs a summary."), field="summary")
    if len(cleaned["title"]) > 200:
        raise DomainError(_("The title is too long (200 characters at most)."), field="title")
    for name, value in cleaned.items():
        if len(value) > MAX_TEXT:
            raise DomainError(_("This text is too long (20,000 characters at most)."), field=name)
    return cleaned


def search_text_for(practice: Practice) -> str:
    parts = [practice.city.name_vi, practice.city.name_en, practice.slug, practice.contacts]
    for text in PracticeText.objects.filter(practice=practice):
        parts += [
            getattr(text, name) for name in ("title", "summary", "context", "actions", "results", "lessons")
        ]
    parts += practice.key_features + practice.sdg_targets + practice.award_criteria
    parts += [f"{c.name_vi} {c.name_en}" for c in Cluster.objects.filter(practices=practice)]
    return fold(" ".join(p for p in parts if p))


def facet_tags(
    *, city_id: int, key_features=(), sdg_targets=(), award_criteria=(), cluster_codes=(), languages=()
) -> list[str]:
    """A practice's facets as "kind:value" (the rows of models.PracticeTag), each once."""
    pairs = [("kf", v) for v in key_features] + [("sdg", v) for v in sdg_targets]
    pairs += [("award", v) for v in award_criteria] + [("cluster", v) for v in cluster_codes]
    pairs += [("lang", v) for v in languages] + [("city", city_id)]
    return list(dict.fromkeys(f"{kind}:{value}" for kind, value in pairs))


def _retag(practice: Practice) -> None:
    """The practice's facet rows, written anew from its tags, clusters and languages while it is published, none
    while it is a draft (fresh reads, not the prefetched ones a page may have loaded before this write)."""
    PracticeTag.objects.filter(practice=practice).delete()
    if practice.status != "published":
        return
    tags = facet_tags(
        city_id=practice.city_id,
        key_features=practice.key_features,
        sdg_targets=practice.sdg_targets,
        award_criteria=practice.award_criteria,
        cluster_codes=Cluster.objects.filter(practices=practice).values_list("code", flat=True),
        languages=PracticeText.objects.filter(practice=practice).values_list("language", flat=True),
    )
    PracticeTag.objects.bulk_create(
        PracticeTag(practice=practice, city_id=practice.city_id, tag=t) for t in tags
    )


def _reindex(practice: Practice) -> None:
    """The folded search text and the facet rows, rebuilt from the practice's texts and tags."""
    practice.search_text = search_text_for(practice)
    Practice.objects.filter(pk=practice.pk).update(search_text=practice.search_text)
    _retag(practice)


def practice_create(
    *,
    actor,
    city: City,
    slug: str,
    language: str,
    texts: dict,
    key_features=(),
    sdg_targets=(),
    award_criteria=(),
    clusters=(),
    indicator_codes=(),
    contacts: str = "",
    started_on=None,
    published: bool = False,
) -> Practice:
    _check_editor(actor, city)
    slug = (slug or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9-]{2,80}", slug):
        raise DomainError(_("A short name uses small letters, digits and dashes (2 to 80)."), field="slug")
    if Practice.objects.filter(city=city, slug=slug).exists():
        raise DomainError(_("The city already has a practice with this short name."), field="slug")
    cleaned = _clean_texts(texts)
    clusters = list(clusters)
    if any(not isinstance(c, Cluster) for c in clusters):
        raise DomainError(_("Unknown cluster."), field="clusters")
    with transaction.atomic():
        practice = Practice.objects.create(
            city=city,
            slug=slug,
            original_language=language,
            contacts=normalize(contacts)[:2000],
            key_features=_clean_tags(key_features, "key_features"),
            sdg_targets=_clean_tags(sdg_targets, "sdg_targets"),
            award_criteria=_clean_tags(award_criteria, "award_criteria"),
            indicator_codes=_clean_tags(indicator_codes, "indicator_codes"),
            started_on=started_on,
            status="published" if published else "draft",
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        practice.clusters.set(clusters)
        PracticeText.objects.create(
            practice=practice, city=city, language=language, status=TranslationStatus.ORIGINAL, **cleaned
        )
        _reindex(practice)
        audit.record_create(actor=actor, obj=practice)
    return practice


def practice_text_save(
    *, actor, practice: Practice, language: str, texts: dict, status: str | None = None
) -> PracticeText:
    """Write the practice's texts in one language. Changing the original marks every translation outdated;
    a translation is a draft until someone marks it reviewed."""
    _check_editor(actor, practice.city)
    cleaned = _clean_texts(texts)
    is_original = language == practice.original_language
    if is_original:
        status = TranslationStatus.ORIGINAL
    elif status not in (TranslationStatus.DRAFT, TranslationStatus.REVIEWED):
        status = TranslationStatus.DRAFT
    with transaction.atomic():
        text = PracticeText.objects.filter(practice=practice, language=language).first()
        if text is None:
            text = PracticeText.objects.create(
                practice=practice, city=practice.city, language=language, status=status, **cleaned
            )
            audit.record_create(actor=actor, obj=text)
        else:
            before = audit.snapshot(text)
            changed = any(getattr(text, k) != v for k, v in cleaned.items())
            for key, value in cleaned.items():
                setattr(text, key, value)
            text.status = status
            text.save()
            audit.record_update(actor=actor, obj=text, before=before)
            if is_original and changed:
                stale = PracticeText.objects.filter(practice=practice).exclude(language=language)
                stale.update(status=TranslationStatus.OUTDATED)
        _reindex(practice)
    return text


def practice_publish(*, actor, practice: Practice, published: bool = True) -> Practice:
    _check_editor(actor, practice.city)
    before = audit.snapshot(practice)
    with transaction.atomic():
        practice.status = "published" if published else "draft"
        practice.save(update_fields=["status", "updated_at"])
        _retag(practice)
        audit.record_update(actor=actor, obj=practice, before=before)
    return practice


def practice_adopt(*, actor, practice: Practice, source: Practice, note: str = "") -> Practice:
    """Record that `practice` (of the adopting city) was adopted from another city's practice."""
    _check_editor(actor, practice.city)
    if source.pk == practice.pk or source.city_id == practice.city_id:
        raise DomainError(_("A practice is adopted from another city's practice."), field="source")
    if source.status != "published":
        raise DomainError(_("Only a published practice can be adopted."), field="source")
    before = audit.snapshot(practice)
    with transaction.atomic():
        practice.adopted_from = source
        practice.adoption_note = normalize(note)[:2000]
        practice.save(update_fields=["adopted_from", "adoption_note", "updated_at"])
        audit.record_update(actor=actor, obj=practice, before=before)
    return practice


def _sniff_document(data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04") and b"word/" in data[:4000]:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    raise DomainError(_("Only PDF or Word (.docx) documents are accepted."), field="file")


def practice_file_add(*, actor, practice: Practice, kind: str, title: str, upload) -> PracticeFile:
    """A photo (re-encoded, without EXIF or GPS, core.uploads) or a document (PDF or DOCX, checked by content)."""
    _check_editor(actor, practice.city)
    title = normalize(title)[:200]
    if not title:
        raise DomainError(_("Give the file a title."), field="title")
    if kind == PracticeFile.Kind.PHOTO:
        content = clean_image(upload)
        ext = (content.name or "image.jpg").rsplit(".", 1)[1]
        content_type = "image/" + {"jpg": "jpeg"}.get(ext, ext)
    elif kind == PracticeFile.Kind.DOCUMENT:
        if getattr(upload, "size", 0) > MAX_DOCUMENT_BYTES:
            raise DomainError(_("The document is too large (10 MB at most)."), field="file")
        data = upload.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise DomainError(_("The document is too large (10 MB at most)."), field="file")
        content_type = _sniff_document(data)
        from django.core.files.base import ContentFile

        content = ContentFile(
            data, name="document.pdf" if content_type == "application/pdf" else "document.docx"
        )
    else:
        raise DomainError(_("Unknown kind of file."), field="kind")
    with transaction.atomic():
        item = PracticeFile(
            practice=practice, city=practice.city, kind=kind, title=title, content_type=content_type
        )
        item.file.save(content.name or "file", content, save=False)
        item.save()
        audit.record_create(actor=actor, obj=item)
    return item
