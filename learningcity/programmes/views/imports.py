"""Importing learner and attendance sheets: upload, preview with per-row errors and duplicates, apply."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learningcity.core import staging
from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError, ImportRejected
from learningcity.core.permissions import is_city_admin

from .. import selectors, tasks
from ..forms import SheetForm
from ..models import ImportBatch
from ..rules import can_manage_learners
from ..services.import_batches import import_batch_record, import_batch_start
from ..services.imports import sheet_import

LARGE_FILE_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def _sha256(stream) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _size(stream) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


@with_city
@staff_only
def import_sheet(request, city):
    if not can_manage_learners(request.user, city):
        raise PermissionDenied(_("You may not import learners in this city."))
    programmes = selectors.programme_list(city=city)
    form = SheetForm(request.POST or None, request.FILES or None, programmes=programmes)
    context: dict = {"form": form}
    if request.method != "POST":
        return render(request, "programmes/import.html", context)
    token = request.POST.get("token", "")
    programme = None
    if token:
        programme_id = request.POST.get("programme_id", "")
        programme = programmes.filter(pk=programme_id).first() if programme_id.isdigit() else None
    elif form.is_valid():
        token = staging.stage(request, form.cleaned_data["file"])
        programme = form.cleaned_data["programme"]
    else:
        return render(request, "programmes/import.html", context)
    stream = staging.open_staged(request, token)
    if stream is None:
        messages.error(request, _("The uploaded file has expired: upload it again."))
        return redirect("programme_import", city_slug=city.slug)
    decisions = {k[4:]: v for k, v in request.POST.items() if k.startswith("dup_")}
    apply = "apply" in request.POST
    with stream:
        size = _size(stream)
        if size > MAX_UPLOAD_BYTES:
            staging.discard(request, token)
            messages.error(request, _("The file is too large."))
            return redirect("programme_import", city_slug=city.slug)
        sha = _sha256(stream)
        if size > LARGE_FILE_BYTES:
            # A large file is checked (the preview) and applied by background tasks, with a progress bar.
            file_name = staging.staged_name(request, token)
            if apply:
                staging.release(request, token)  # the task owns the file now and removes it when done
            batch = import_batch_start(
                actor=request.user,
                city=city,
                file_name=file_name,
                file_path=stream.name,
                sha256=sha,
                programme=programme,
                decisions=decisions,
                apply=apply,
                token=token,
            )
            return redirect("programme_import_batch", city_slug=city.slug, batch_id=batch.pk)
        try:
            result = sheet_import(
                actor=request.user,
                city=city,
                stream=stream,
                programme=programme,
                decisions=decisions,
                dry_run=not apply,
                sha256=sha,
            )
        except ImportRejected as exc:
            context["row_errors"] = exc.errors[:200]
            staging.discard(request, token)
            return render(request, "programmes/import.html", context)
        except DomainError as exc:
            form.add_error(None, exc.message)
            staging.discard(request, token)
            return render(request, "programmes/import.html", context)
    if apply:
        import_batch_record(
            actor=request.user,
            city=city,
            file_name=staging.staged_name(request, token),
            sha256=sha,
            programme=programme,
            result=result,
        )
        staging.discard(request, token)
        if result.already_imported:
            messages.info(request, _("This file was already imported: nothing was added."))
        else:
            messages.success(
                request,
                _(
                    "Imported: %(learners)s new learners, %(att)s attendances added (%(existing)s already recorded)."
                )
                % {
                    "learners": result.learners_created,
                    "att": result.attendance_added,
                    "existing": result.attendance_existing,
                },
            )
        return redirect("programme_import", city_slug=city.slug)
    context.update(
        _preview(
            result.as_dict(), city=city, token=token, programme=programme, decisions=decisions, large=False
        )
    )
    return render(request, "programmes/import.html", context)


def _preview(result: dict, *, city, token: str, programme, decisions: dict, large: bool) -> dict:
    """What the preview section shows: the counts, and the probable duplicates with their candidates."""
    to_confirm = [dict(item) for item in result.get("to_confirm", [])]
    candidates = {c["id"] for item in to_confirm for c in item["candidates"]}
    details = selectors.learners_by_id(city=city, ids=candidates)
    for item in to_confirm:
        item["people"] = [details[c["id"]] for c in item["candidates"] if c["id"] in details]
        item["decision"] = decisions.get(str(item["row"]), "")
    return {
        "preview": {**result, "to_confirm": to_confirm},
        "token": token,
        "programme": programme,
        "large": large,
        "decisions": decisions,
    }


@with_city
@staff_only
def import_batch(request, city, batch_id: int):
    batch = selectors.import_batch_get(city=city, batch_id=batch_id)
    # Its rows and errors name people: the person who uploaded it and the city's administrators only.
    if batch.actor_id != request.user.pk and not is_city_admin(request.user, city):
        raise PermissionDenied(_("You may not see this import."))
    check = tasks.is_check(batch)
    running = batch.status in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)
    context = {
        "batch": batch,
        "check": check,
        "percent": tasks.read_progress(batch),
        "running": running,
        "row_errors": batch.errors[:200],
    }
    token = batch.result.get("token", "") if check else ""
    # Only the person who uploaded the checked file can apply it (it is staged in her session).
    mine = batch.actor_id == request.user.pk and staging.is_staged(request, token)
    if check and batch.status == ImportBatch.Status.DONE and mine:
        preview = _preview(
            batch.result,
            city=city,
            token=token,
            programme=batch.programme,
            decisions=batch.decisions,
            large=True,
        )
        context.update(preview)
    return render(request, "programmes/import_batch.html", context)
