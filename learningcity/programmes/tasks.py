"""Background work on large sheets: checking them (the preview) and applying them. Tasks take ids, never objects.

A large sheet goes through the same two steps as a small one: `check_sheet` runs the whole validation (a dry run:
per-row errors, probable duplicates, what would be added) with a progress bar and keeps the staged file for the
apply; `import_sheet` applies it once the coordinator has resolved the errors and duplicates.
"""

from __future__ import annotations

import contextlib
import os

from django_tasks import task

from learningcity.core.errors import DomainError, ImportRejected

from .models import ImportBatch
from .services.imports import file_progress_path, sheet_import

CHECK = "check"  # ImportBatch.result["phase"] of a batch that only checks a file (its preview)


def is_check(batch: ImportBatch) -> bool:
    return isinstance(batch.result, dict) and batch.result.get("phase") == CHECK


def read_progress(batch: ImportBatch) -> int:
    """Percent done of a running batch (the import's own transaction hides its rows until the end)."""
    if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.REJECTED, ImportBatch.Status.FAILED):
        return 100
    try:
        with open(file_progress_path(batch.pk)) as f:
            return max(0, min(100, int(float(f.read() or 0) * 100)))
    except (OSError, ValueError):
        return 0


def _run(batch_id: int, *, check: bool) -> str:
    batch = ImportBatch.objects.select_related("city", "actor", "programme").get(pk=batch_id)
    if batch.status not in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING):
        return batch.status
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
    progress_file = file_progress_path(batch.pk)

    def progress(fraction: float) -> None:
        with open(progress_file, "w") as f:
            f.write(f"{fraction:.3f}")

    try:
        with open(batch.file_path, "rb") as stream:
            result = sheet_import(
                actor=batch.actor,
                city=batch.city,
                stream=stream,
                programme=batch.programme,
                decisions=batch.decisions,
                sha256="" if check else batch.sha256,
                dry_run=check,
                progress=progress,
            )
    except ImportRejected as exc:
        batch.status = ImportBatch.Status.REJECTED
        batch.errors = [e.as_dict() for e in exc.errors]
    except DomainError as exc:
        batch.status = ImportBatch.Status.REJECTED
        batch.errors = [{"row": 0, "column": exc.field or "", "message": exc.message}]
    except Exception as exc:  # a failed job must say so on its page
        batch.status = ImportBatch.Status.FAILED
        batch.errors = [{"row": 0, "column": "", "message": type(exc).__name__}]
    else:
        batch.status = ImportBatch.Status.DONE
        kept = {k: v for k, v in result.as_dict().items() if k != "sample" and (check or k != "to_confirm")}
        batch.result = {**batch.result, **kept} if check else kept
        batch.rows_total = batch.rows_done = result.rows
    batch.save(update_fields=["status", "errors", "result", "rows_total", "rows_done", "updated_at"])
    paths = [progress_file]
    if not (check and batch.status == ImportBatch.Status.DONE):  # a checked file waits for its apply
        paths.append(batch.file_path)
    for path in paths:
        with contextlib.suppress(OSError):
            os.unlink(path)
    return batch.status


@task()
def check_sheet(batch_id: int) -> str:
    """The preview of a large sheet: every check, nothing changed (the dry run rolls back)."""
    return _run(batch_id, check=True)


@task()
def import_sheet(batch_id: int) -> str:
    return _run(batch_id, check=False)
