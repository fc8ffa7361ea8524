"""Backup and restore throughput (learningcity.ops.archive) on a generated city: rows per second.

Generates ROWS audit entries (JSON changes, Vietnamese text: the widest table a city grows) and a few hundred
areas in a temporary SQLite database (or DATABASE_URL), then times `backup` and `restore` (into a second, empty
database) and compares with a baseline measured in the same run: reading the same rows with values_list, the
least any backup must do. Prints rows/s, archive size and the ratio; exits 0.

    .venv/bin/python bench/bench_load_backup.py          # BACKUP_ROWS=100000
"""

import os
import sys
import tempfile
import time
from pathlib import Path

TMP = Path(tempfile.mkdtemp(prefix="lc-bench-backup-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["TESTING"] = "1"
os.environ["DATA_DIR"] = str(TMP)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
ROWS = int(os.environ.get("BACKUP_ROWS", "100000"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402

from learningcity.core.models import AuditEntry, City  # noqa: E402
from learningcity.ops.archive import backed_up_models, backup, database_digest, restore  # noqa: E402


def main() -> int:
    call_command("migrate", verbosity=0)
    city = City.objects.create(slug="bench", name_vi="Thành phố Sơn La", name_en="Son La")
    batch = [
        AuditEntry(
            city=city,
            actor_name="Lò Thị Xuân",
            action=AuditEntry.Action.UPDATE,
            object_type="programmes.attendance",
            object_id=str(i),
            object_repr=f"Buổi học {i} – Câu lạc bộ đọc sách bản Mé Ban",
            changes={"present": [i % 2 == 0, i % 2 == 1], "note": ["", "Đã điểm danh"]},
        )
        for i in range(ROWS)
    ]
    AuditEntry.objects.bulk_create(batch, batch_size=5000)
    total = sum(m._base_manager.count() for m in backed_up_models())

    t = time.perf_counter()
    for model in backed_up_models():
        for _row in model._base_manager.values_list().iterator(chunk_size=2000):
            pass
    read_s = time.perf_counter() - t

    archive = TMP / "bench.tar.gz"
    t = time.perf_counter()
    backup(archive)
    backup_s = time.perf_counter() - t
    before = database_digest()

    # Restore into a second, empty database (same engine).
    settings_dict = dict(connections["default"].settings_dict)
    if settings_dict["ENGINE"].endswith("sqlite3"):
        settings_dict["NAME"] = str(TMP / "restored.sqlite3")
        cleanup = None
    else:
        name = f"{settings_dict['NAME']}_bench_restore"
        with connections["default"].cursor() as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
            c.execute(f'CREATE DATABASE "{name}"')
        settings_dict["NAME"] = name
        cleanup = name
    connections.databases["restored"] = settings_dict
    t = time.perf_counter()
    call_command("migrate", database="restored", verbosity=0)
    migrate_s = time.perf_counter() - t
    t = time.perf_counter()
    restore(archive, using="restored", migrate=False)
    restore_s = time.perf_counter() - t
    assert database_digest("restored") == before
    connections["restored"].close()
    if cleanup:
        with connections["default"].cursor() as c:
            c.execute(f'DROP DATABASE IF EXISTS "{cleanup}"')

    size = archive.stat().st_size
    print(f"engine: {connections['default'].vendor}; rows: {total} in {len(before)} tables")
    print(f"baseline (read every row with values_list): {read_s:.2f} s, {total / read_s:,.0f} rows/s")
    print(
        f"backup: {backup_s:.2f} s, {total / backup_s:,.0f} rows/s, archive {size / 1e6:.1f} MB "
        f"({size / total:.0f} bytes/row); ratio to baseline {backup_s / read_s:.1f}x"
    )
    print(
        f"restore (load + checksum check): {restore_s:.2f} s, {total / restore_s:,.0f} rows/s; "
        f"ratio to baseline {restore_s / read_s:.1f}x; plus migrate of the empty database {migrate_s:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
