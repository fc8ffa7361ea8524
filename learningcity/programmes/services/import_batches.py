"""The record of a sheet import (ImportBatch): a large sheet handed to the background tasks that check and apply it,
and a small sheet applied during the request, kept in the same history."""

from __future__ import annotations

from typing import Any

from learningcity.core.models import City

from ..models import ImportBatch, Programme
from .imports import ImportResult


def import_batch_start(
    *,
    actor,
    city: City,
    file_name: str,
    file_path: str,
    sha256: str,
    programme: Programme | None,
    decisions: dict[str, Any],
    apply: bool,
    token: str = "",
) -> ImportBatch:
    """Hand a large staged sheet to a background task: its check (the preview: the batch keeps the staged file's
    `token` for the apply) or, with `apply`, its import (the task owns the file then and removes it when done)."""
    from .. import tasks  # the tasks call the import services: imported here, not at module level

    batch = ImportBatch.objects.create(
        city=city,
        actor=actor,
        file_name=file_name,
        file_path=file_path,
        sha256=sha256 if apply else "",
        programme=programme,
        decisions=decisions,
        result={} if apply else {"phase": tasks.CHECK, "token": token},
    )
    (tasks.import_sheet if apply else tasks.check_sheet).enqueue(batch.pk)
    return batch


def import_batch_record(
    *, actor, city: City, file_name: str, sha256: str, programme: Programme | None, result: ImportResult
) -> ImportBatch:
    """Keep a sheet applied during the request in the import history, as a finished batch."""
    return ImportBatch.objects.create(
        city=city,
        actor=actor,
        file_name=file_name,
        sha256=sha256,
        programme=programme,
        status=ImportBatch.Status.DONE,
        rows_total=result.rows,
        rows_done=result.rows,
        result={k: v for k, v in result.as_dict().items() if k not in ("sample", "to_confirm")},
    )
