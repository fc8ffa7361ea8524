"""Backup and restore throughput (learningcity.ops.archive) on a generated city: rows per second.

Generates a few hundred areas (a province, its communes and wards, their hamlets) and ROWS audit entries (the
widest table a city grows) with a seeded generator, so that the rows vary as a city's do: Vietnamese names of
people, places and programmes, actions and object types in realistic proportions, dates spread over seven years,
JSON changes of different shapes and lengths. They go into a temporary SQLite database (or DATABASE_URL), then
`backup` and `restore` (into a second, empty database) are timed and compared with a baseline measured in the
same run: reading the same rows with values_list, the least any backup must do. Prints seconds and rows/s, the
archive's size and the ratio of the times; checks that the restored database equals the original (every table's
checksum) and holds every row. Writes var/bench/backup.json; exits 1 when a check fails. The throughput has no
target: it is what the backup plan in docs/scaling.md is computed from.

    .venv/bin/python bench/bench_load_backup.py          # BACKUP_ROWS=100000 BACKUP_SEED=15
"""

import datetime as dt
import os
import random
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
SEED = int(os.environ.get("BACKUP_SEED", "15"))

import django  # noqa: E402

django.setup()

from _report import Report  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from learningcity.core.models import Area, AreaLevel, AuditEntry, City  # noqa: E402
from learningcity.ops.archive import backed_up_models, backup, database_digest, restore  # noqa: E402

FAMILY = ["Lò", "Cầm", "Quàng", "Lường", "Tòng", "Hà", "Giàng", "Mùa", "Sồng", "Nguyễn", "Trần", "Lê", "Phạm",
          "Đinh", "Vì", "Hoàng", "Bạc", "Điêu"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "A", "Thị Thu", "Văn Minh", "Thị Ngọc", "Đức", "Thanh", ""]
GIVEN = ["Xuân", "Mai", "Hương", "Thắng", "Dũng", "Pó", "Sếnh", "Chồ", "Páo", "Lan", "Hoa", "Tùng", "Khiêm",
         "Ánh", "Tuyết", "Nọi", "Ện", "Phong", "Thảo", "Bình"]  # fmt: skip
WARDS = ["Tô Hiệu", "Chiềng An", "Chiềng Cơi", "Chiềng Sinh", "Chiềng Lề", "Quyết Thắng", "Quyết Tâm",
         "Chiềng Ngần", "Chiềng Đen", "Chiềng Xôm", "Hua La", "Chiềng Cọ"]  # fmt: skip
HAMLET = ["Bản", "Tổ dân phố", "Bản", "Bản"]
HAMLET_NAMES = ["Mé Ban", "Hài", "Cọ", "Noong La", "Híp", "Pát", "Lay", "Nong Đúc", "Dửn", "Tông", "Ái",
                "Hẹo", "Sẳng", "Nà Cạn", "Phiêng Ngùa", "Púng", "Bó", "Khoang"]  # fmt: skip
PROGRAMMES = ["Câu lạc bộ đọc sách", "Lớp xóa mù chữ", "Lớp tiếng Thái", "Câu lạc bộ xòe", "Lớp tin học",
              "Câu lạc bộ dân ca", "Lớp kỹ năng sống", "Lớp thêu thổ cẩm"]  # fmt: skip
# (object type, action weights: create, update, delete, import, merge, erase)
OBJECTS = [
    ("programmes.attendance", (10, 60, 5, 25, 0, 0)),
    ("programmes.learner", (30, 40, 2, 20, 5, 3)),
    ("programmes.session", (40, 50, 10, 0, 0, 0)),
    ("places.learningspace", (20, 75, 5, 0, 0, 0)),
    ("competitions.entry", (60, 30, 10, 0, 0, 0)),
    ("analytics.populationcount", (10, 30, 5, 55, 0, 0)),
]
ACTIONS = ["create", "update", "delete", "import", "merge", "erase"]
OBJECT_WEIGHTS = [50, 15, 15, 8, 7, 5]


def person(rng: random.Random) -> str:
    return " ".join(x for x in (rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)) if x)


def make_areas(rng: random.Random, city: City) -> list[Area]:
    province = Area.objects.create(city=city, code="14", level=AreaLevel.PROVINCE, name_vi="Tỉnh Sơn La")
    hamlets = []
    for i, name in enumerate(WARDS):
        level = AreaLevel.WARD if i < 7 else AreaLevel.COMMUNE
        ward = Area.objects.create(
            city=city,
            parent=province,
            code=f"{3646 + 6 * i:05d}",
            level=level,
            name_vi=f"{'Phường' if level == AreaLevel.WARD else 'Xã'} {name}",
            lat=21.3 + rng.uniform(-0.1, 0.1),
            lon=103.9 + rng.uniform(-0.1, 0.1),
            is_remote=level == AreaLevel.COMMUNE and rng.random() < 0.4,
        )
        for k in range(rng.randint(15, 35)):
            hamlets.append(
                Area(
                    city=city,
                    parent=ward,
                    code=f"{ward.code}-{k:02d}",
                    level=AreaLevel.HAMLET,
                    name_vi=f"{rng.choice(HAMLET)} {rng.choice(HAMLET_NAMES)} {k + 1}",
                    lat=ward.lat + rng.uniform(-0.03, 0.03),
                    lon=ward.lon + rng.uniform(-0.03, 0.03),
                    area_km2=round(rng.uniform(0.5, 40), 1),
                )
            )
    return Area.objects.bulk_create(hamlets)


def audit_rows(rng: random.Random, city: City, hamlets: list[Area], n: int):
    """n audit entries as a city's staff and imports leave them, from 2019 to 2026 (seeded: the same every run)."""
    start = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    span = (dt.datetime(2026, 6, 30, tzinfo=dt.UTC) - start).total_seconds()
    staff = [person(rng) for _ in range(40)]
    for _ in range(n):
        object_type, weights = rng.choices(OBJECTS, OBJECT_WEIGHTS)[0]
        action = rng.choices(ACTIONS, weights)[0]
        hamlet = rng.choice(hamlets)
        when = start + dt.timedelta(seconds=rng.uniform(0, span))
        who = rng.choice(staff)
        oid = rng.randint(1, 2_000_000)
        if object_type == "programmes.attendance":
            repr_ = f"{person(rng)} – {rng.choice(PROGRAMMES)} {hamlet.name_vi}, {when:%d/%m/%Y}"
            changes = (
                {"present": [False, True]}
                if action == "update"
                else {"minutes": [None, rng.choice([60, 90, 120])]}
            )
        elif object_type == "programmes.learner":
            repr_ = person(rng)
            changes = {
                "area": [rng.choice(hamlets).name_vi, hamlet.name_vi],
                "birth_year": [None, rng.randint(1945, 2018)],
            }
        elif object_type == "places.learningspace":
            repr_ = f"{rng.choice(['Ngôi nhà trí tuệ', 'Thư viện nhân ái', 'Nhà văn hóa'])} {hamlet.name_vi}"
            changes = {"hours": ["Mo-Fr 08:00-17:00", rng.choice(["Mo-Su 08:00-20:00", "Sa-Su 07:30-11:00"])]}
        else:
            repr_ = f"{rng.choice(PROGRAMMES)} – {hamlet.name_vi}"
            changes = {"count": [rng.randint(0, 500), rng.randint(0, 500)]} if rng.random() < 0.7 else {}
        yield AuditEntry(
            city=city,
            actor_name=who,
            action=action,
            object_type=object_type,
            object_id=str(oid),
            object_repr=repr_[:300],
            changes=changes,
            note=rng.choice(
                ["", "", "", "Đã điểm danh", f"Nhập từ tệp {when:%Y%m%d}.xlsx", "Sửa theo yêu cầu"]
            ),
            created_at=when,
        )


def main() -> int:
    call_command("migrate", verbosity=0)
    rng = random.Random(SEED)
    city = City.objects.create(slug="bench", name_vi="Thành phố Sơn La", name_en="Son La")
    hamlets = make_areas(rng, city)
    # created_at is auto_now_add: switched off while the generated dates are written, so that they vary.
    created_at = AuditEntry._meta.get_field("created_at")
    created_at.auto_now_add = False
    try:
        batch: list[AuditEntry] = []
        for entry in audit_rows(rng, city, hamlets, ROWS):
            batch.append(entry)
            if len(batch) == 5000:
                AuditEntry.objects.bulk_create(batch)
                batch = []
        AuditEntry.objects.bulk_create(batch)
    finally:
        created_at.auto_now_add = True
    assert AuditEntry.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=365)).exists()
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
    restored = database_digest("restored")
    restored_rows = sum(m._base_manager.using("restored").count() for m in backed_up_models())
    connections["restored"].close()
    if cleanup:
        with connections["default"].cursor() as c:
            c.execute(f'DROP DATABASE IF EXISTS "{cleanup}"')

    size = archive.stat().st_size
    engine = connections["default"].vendor
    print(f"engine: {engine}; rows: {total} in {len(before)} tables; seed {SEED}")
    report = Report("backup", params={"rows": ROWS, "seed": SEED, "engine": engine, "total_rows": total})
    baseline = f"read every row with values_list, {total / read_s:,.0f} rows/s"
    report.figure(
        "backup", backup_s, "s", baseline=read_s, baseline_label=baseline,
        note=f"{total / backup_s:,.0f} rows/s, archive {size / 1e6:.1f} MB ({size / total:.0f} bytes/row)",
    )  # fmt: skip
    report.figure(
        "restore (load + checksum check)", restore_s, "s", baseline=read_s, baseline_label=baseline,
        note=f"{total / restore_s:,.0f} rows/s; plus migrate of the empty database {migrate_s:.1f} s",
    )  # fmt: skip
    report.check("the restored database equals the original (every table's checksum)", restored == before)
    report.check("every row restored", restored_rows == total, f"{restored_rows} of {total}")
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
