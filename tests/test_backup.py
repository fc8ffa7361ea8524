"""Backup and restore: every table comes back with the same rows (count and checksum), and the uploaded files.

Runs on whichever engine the suite runs on (SQLite, or PostgreSQL with DATABASE_URL), using the test database.
"""

import datetime as dt
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from learningcity.core.models import Area, AreaLevel, City
from learningcity.core.services.areas import area_create
from learningcity.ops.archive import FORMAT, backed_up_models, database_digest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def populated(city, other_city, areas, people):
    """Rows in many tables (audited writes with JSON changes, Vietnamese text, microseconds) and two uploads."""
    actor = people["city_admin"]
    area_create(
        actor=actor,
        city=city,
        parent=areas["chieng_coi"],
        code="03670-X",
        level=AreaLevel.HAMLET,
        name_vi="Bản Hày Xoong",
        lat=21.301234567,
        lon=103.8765,
        valid_from=dt.date(2025, 7, 1),
    )
    # A session row: timestamps with microseconds and a long text blob.
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store["note"] = "Tiếng Việt có dấu ✓"
    store.create()
    media = Path(settings.MEDIA_ROOT)
    (media / "places" / "photos").mkdir(parents=True)
    (media / "places" / "photos" / "nhà-văn-hoá.jpg").write_bytes(bytes(range(256)) * 40)
    (media / "staging").mkdir()
    (media / "staging" / "import.csv").write_text("mã,tên\n1,Mé Ban\n", encoding="utf-8")
    return people


def _media_files() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _empty_the_database():
    # Like a database freshly made by `migrate`: flush re-creates content types and permissions.
    call_command("flush", interactive=False, verbosity=0)


def test_restore_into_an_empty_database_gives_back_every_row_and_file(populated, tmp_path):
    before = database_digest()
    files_before = _media_files()
    assert sum(count for count, _ in before.values()) > 20
    assert before["core.area"][0] == 6
    assert before["core.auditentry"][0] >= 1
    assert before["sessions.session"][0] == 1
    # Every model with a table is in the backup, apps added later included.
    assert set(before) == {m._meta.label_lower for m in backed_up_models()}

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["format"] == FORMAT
    assert {k: (v["rows"], v["sha256"]) for k, v in manifest["tables"].items()} == before
    assert manifest["media_files"] == 2

    _empty_the_database()
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()
    assert database_digest()["core.area"][0] == 0

    call_command("restore", str(archive), verbosity=0)

    assert database_digest() == before
    assert _media_files() == files_before
    # The sequences moved past the restored keys: new rows get new ids.
    city = City.objects.get(slug="son-la")
    new = area_create(
        actor=populated["city_admin"],
        city=city,
        parent=Area.objects.get(city=city, code="03670"),
        code="03670-NEW",
        level=AreaLevel.HAMLET,
        name_vi="Bản Mới",
    )
    assert new.pk > max(Area.objects.exclude(pk=new.pk).values_list("pk", flat=True))


def test_restore_refuses_a_database_that_is_not_empty(populated, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    before = database_digest()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), verbosity=0)
    assert database_digest() == before
    # --force replaces everything with the backup's rows.
    call_command("restore", str(archive), force=True, verbosity=0)
    assert database_digest() == before


def test_a_damaged_archive_changes_nothing(populated, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            if member.name == "data/core.area.jsonl":
                data = data.replace("Bản Hày Xoong".encode(), "Bản Khác".encode())
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    _empty_the_database()
    empty = database_digest()
    with pytest.raises(CommandError, match=r"core\.area"):
        call_command("restore", str(damaged), verbosity=0)
    assert database_digest() == empty
    with pytest.raises(CommandError, match=r"not a Learning City backup|No backup"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), verbosity=0)


def _fresh_database_url(tmp_path: Path):
    """A database with no tables at all, on the engine the suite runs on."""
    if connection.vendor == "postgresql":
        name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:6]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        s = connection.settings_dict

        def drop():
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return (
            f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}",
            drop,
        )
    return f"sqlite:///{tmp_path / 'fresh.sqlite3'}", lambda: None


def test_restore_into_a_brand_new_database_with_no_tables(populated, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    url, drop = _fresh_database_url(tmp_path)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DATA_DIR": str(tmp_path / "fresh"),
        "TESTING": "1",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    try:
        manage = [sys.executable, str(ROOT / "manage.py")]
        out = subprocess.run(
            [*manage, "restore", str(archive)], env=env, capture_output=True, text=True, timeout=300
        )
        assert out.returncode == 0, out.stderr
        assert "checksum match" in out.stdout
        # Back up the restored database: the same rows, table by table.
        again = tmp_path / "again.tar.gz"
        out = subprocess.run(
            [*manage, "backup", str(again)], env=env, capture_output=True, text=True, timeout=300
        )
        assert out.returncode == 0, out.stderr
    finally:
        drop()
    with tarfile.open(archive) as a, tarfile.open(again) as b:
        first = json.load(a.extractfile("manifest.json"))["tables"]
        second = json.load(b.extractfile("manifest.json"))["tables"]
        assert sorted(b.getnames()) == sorted(a.getnames())
    assert {k: (v["rows"], v["sha256"]) for k, v in second.items()} == {
        k: (v["rows"], v["sha256"]) for k, v in first.items()
    }
    assert (tmp_path / "fresh" / "media" / "places" / "photos" / "nhà-văn-hoá.jpg").read_bytes() == bytes(
        range(256)
    ) * 40


def test_a_city_with_attendance_comes_back_with_its_figures(populated, city, areas, tmp_path):
    """Tables kept by triggers (the participation summary, the rollups, the tally, the member and dashboard tables)
    come back as they were archived, not counted a second time by their triggers while the attendance is loaded."""
    from learningcity.programmes.services import attendance_mark
    from learningcity.programmes.tests.factories import (
        LearnerFactory,
        MembershipFactory,
        ProgrammeFactory,
        SessionFactory,
    )

    programme = ProgrammeFactory(city=city, area=areas["me_ban"])
    sessions = [SessionFactory(programme=programme, date=dt.date(2026, 3, day)) for day in (2, 9, 16)]
    learners = LearnerFactory.create_batch(4, city=city, area=areas["me_ban"])
    for learner in learners:
        MembershipFactory(programme=programme, learner=learner)
    for session in sessions:
        for learner in learners[: 2 + sessions.index(session)]:
            attendance_mark(actor=populated["city_admin"], session=session, learner=learner)
    before = database_digest()
    assert before["programmes.attendance"][0] == 9
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), verbosity=0)

    _empty_the_database()
    call_command("restore", str(archive), verbosity=0)

    assert database_digest() == before
    # The triggers are back: a new tick is counted once, as a rebuild from the restored rows counts it.
    attendance_mark(actor=populated["city_admin"], session=sessions[0], learner=learners[3])
    from learningcity.analytics.models import MemberCame

    def buckets():  # a bucket emptied by the tick stays as a zero row until a rebuild (docs/analytics.md)
        return sorted(
            MemberCame.objects.exclude(members=0).values_list("programme_id", "year", "came", "members")
        )

    kept, kept_buckets = database_digest(), buckets()
    call_command("analytics_rebuild", verbosity=0)
    rebuilt = database_digest()
    derived = [label for label in kept if label.startswith("analytics.") and kept[label] != before.get(label)]
    assert "analytics.participation" in derived  # the tick was counted
    for label in derived:
        if label != "analytics.membercame":
            assert rebuilt[label][0] == kept[label][0], label
    assert buckets() == kept_buckets
