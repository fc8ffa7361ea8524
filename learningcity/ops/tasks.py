"""A task for the fault drills (bench/bench_load_faults.py): a slow, all-or-nothing "import".

It writes `rows` audit entries marked with `label` in ONE transaction, pausing between rows, and reports its
progress in a file, like the real imports. Killed half way, it must leave no row; run again (requeue_tasks),
it must leave exactly `rows` rows, not more: it skips its work if a previous run already committed it.
"""

import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django_tasks import task

from learningcity.core.models import AuditEntry

DRILL_TYPE = "ops.drill"


def progress_path(label: str) -> Path:
    return Path(settings.DATA_DIR) / f"drill-{label}.progress"


@task()
def drill_import(label: str, rows: int, pause_ms: int = 20) -> int:
    if AuditEntry.objects.filter(object_type=DRILL_TYPE, note=label).exists():
        return 0  # already done by an earlier run: a rerun never duplicates
    progress = progress_path(label)
    with transaction.atomic():
        for i in range(rows):
            AuditEntry.objects.create(
                action=AuditEntry.Action.IMPORT, object_type=DRILL_TYPE, object_id=str(i), note=label
            )
            if i % 10 == 0:
                progress.write_text(f"{i / rows:.3f}")
            time.sleep(pause_ms / 1000)
    progress.write_text("1.000")
    return rows
