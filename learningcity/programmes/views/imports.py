"""Importing learner and attendance sheets: upload, preview with per-row errors and duplicates, apply.

The page runs the shared flow (core.import_flow.staged_import); what it adds: the programme of a sign-in sheet
and the decisions on probable duplicates go from the preview to the apply, a large file is checked and applied
by background tasks (an ImportBatch with a progress page), and a small file applied here is recorded as a batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learningcity.core import staging
from learningcity.core.decorators import staff_only, with_city
from learningcity.core.import_flow import Applied, Staged, staged_import
from learningcity.core.permissions import is_city_admin

from .. import selectors, tasks
from ..forms import SheetForm
from ..models import ImportBatch
from ..rules import can_manage_learners
from ..services.import_batches import import_batch_record, import_batch_start
from ..services.imports import sheet_import

LARGE_FILE_BYTES = 2 * 1024 * 1024
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
ROW_ERRORS_SHOWN = 200


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


def _to_background(request, city, staged: Staged, *, programme: Callable[[bool], Any], decisions: dict):
    """A large file is checked (the preview) and applied by background tasks, with a progress bar."""
    size = _size(staged.stream)
    if size > MAX_UPLOAD_BYTES:
        staged.discard()
        messages.error(request, _("The file is too large."))
        return redirect("programme_import", city_slug=city.slug)
    if size <= LARGE_FILE_BYTES:
        return None
    file_name = staged.name
    if staged.apply:
        staged.release()  # the task owns the file now and removes it when done
    batch = import_batch_start(
        actor=request.user,
        city=city,
        file_name=file_name,
        file_path=staged.stream.name,
        sha256=_sha256(staged.stream),
        programme=programme(staged.apply),
        decisions=decisions,
        apply=staged.apply,
        token=staged.token,
    )
    return redirect("programme_import_batch", city_slug=city.slug, batch_id=batch.pk)


def _applied(result, *, city) -> Applied:
    back = redirect("programme_import", city_slug=city.slug)
    if result.already_imported:
        return Applied(_("This file was already imported: nothing was added."), back, messages.INFO)
    message = _(
        "Imported: %(learners)s new learners, %(att)s attendances added (%(existing)s already recorded)."
    ) % {
        "learners": result.learners_created,
        "att": result.attendance_added,
        "existing": result.attendance_existing,
    }
    return Applied(message, back)


@with_city
@staff_only
def import_sheet(request, city):
    if not can_manage_learners(request.user, city):
        raise PermissionDenied(_("You may not import learners in this city."))
    form = SheetForm(
        request.POST or None, request.FILES or None, programmes=selectors.programme_list(city=city)
    )
    decisions = {k[4:]: v for k, v in request.POST.items() if k.startswith("dup_")}

    def programme(apply: bool):
        """The upload's form names the programme; the preview's confirm sends it back by id."""
        if not apply:
            return form.cleaned_data["programme"]
        try:
            return form.fields["programme"].clean(request.POST.get("programme_id", ""))
        except ValidationError:
            return None

    def run(stream, apply: bool):
        sha, chosen = _sha256(stream), programme(apply)
        result = sheet_import(
            actor=request.user,
            city=city,
            stream=stream,
            programme=chosen,
            decisions=decisions,
            dry_run=not apply,
            sha256=sha,
        )
        if apply:
            name = staging.staged_name(request, request.POST.get("token", ""))
            import_batch_record(
                actor=request.user, city=city, file_name=name, sha256=sha, programme=chosen, result=result
            )
        return result

    def expired():
        messages.error(request, _("The uploaded file has expired: upload it again."))
        return redirect("programme_import", city_slug=city.slug)

    return staged_import(
        request,
        form=form,
        template="programmes/import.html",
        run=run,
        applied=lambda result: _applied(result, city=city),
        preview=lambda result, token: _preview(
            result.as_dict(),
            city=city,
            token=token,
            programme=form.cleaned_data["programme"],
            decisions=decisions,
            large=False,
        ),
        dispatch=lambda staged: _to_background(
            request, city, staged, programme=programme, decisions=decisions
        ),
        expired=expired,
        max_row_errors=ROW_ERRORS_SHOWN,
    )


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
