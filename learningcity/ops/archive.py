"""Backup and restore of a whole installation: every table's rows and the uploaded files, in one archive.

Portable by design: the same archive is written and read on SQLite and PostgreSQL (pg_dump may be absent, and a
city may move from the embedded SQLite to PostgreSQL with it). The archive is a gzipped tar holding

    manifest.json                 format, time, engine, applied migrations, every table's row count and checksum
    data/<app_label>.<model>.jsonl  one JSON array of column values per row, in primary-key order
    media/...                     the files under MEDIA_ROOT

Rows are read inside one transaction (a consistent snapshot: REPEATABLE READ on PostgreSQL, the SQLite
transaction otherwise) and streamed in batches, so memory stays flat whatever the size. Restore writes every
row with its original primary key in one transaction (foreign keys are checked at commit, so order does not
matter), resets the sequences and checks every table's count and checksum against the manifest before it
commits: a restore is all-or-nothing.

Every model Django knows is covered, with auto-created many-to-many tables, so an app added later is backed up
without a change here.
"""

import base64
import datetime as dt
import decimal
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from learningcity.core.registry import app_modules

FORMAT = "learningcity-backup/1"
BATCH = 2000
# Tables that `migrate` fills by itself: an "empty" database may hold these, and restore replaces them.
AUTO_FILLED = {"contenttypes.contenttype", "auth.permission"}
# State of the running installation, not data: the change stamp (core.changes) is renewed by every write, the
# restore's own included, and a value from another time would only name other data.
NOT_KEPT = {"core.changestamp"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def backed_up_models(using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    """Every concrete, managed model (with auto-created many-to-many tables) whose table exists, in a stable
    order. A model whose migration has not been applied yet has no table and nothing to keep."""
    tables = set(connections[using].introspection.table_names())
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped or meta.db_table not in tables:
            continue
        if meta.label_lower in NOT_KEPT:
            continue
        found.append(model)
    return sorted(found, key=lambda m: m._meta.label_lower)


def _columns(model: type[models.Model]) -> list[models.Field]:
    # Only this table's own columns: a multi-table child keeps its parent's columns in the parent's table.
    return list(model._meta.local_concrete_fields)


def _plain(value: Any) -> Any:
    """A column value as JSON, losslessly (full microseconds, exact decimals, bytes as base64)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return {"$td": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict | list):
        return value
    return str(value)


def _python(field: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dict) and not isinstance(field, models.JSONField):
        if "$b64" in value:
            return base64.b64decode(value["$b64"])
        if "$td" in value:
            days, seconds, micro = value["$td"]
            return dt.timedelta(days=days, seconds=seconds, microseconds=micro)
    if isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


def _rows(model: type[models.Model], using: str) -> Iterator[list[Any]]:
    cols = _columns(model)
    qs = model._base_manager.using(using).order_by("pk").values_list(*[f.attname for f in cols])
    for row in qs.iterator(chunk_size=BATCH):
        yield [_plain(v) for v in row]


def _line(row: list[Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode() + b"\n"


def table_digest(model: type[models.Model], using: str = DEFAULT_DB_ALIAS) -> tuple[int, str]:
    """(row count, sha256 of the rows in primary-key order) as read from the database now."""
    digest = hashlib.sha256()
    count = 0
    for row in _rows(model, using):
        digest.update(_line(row))
        count += 1
    return count, digest.hexdigest()


def database_digest(using: str = DEFAULT_DB_ALIAS) -> dict[str, tuple[int, str]]:
    """Every backed-up table's (row count, checksum), keyed by model label."""
    return {m._meta.label_lower: table_digest(m, using) for m in backed_up_models(using)}


def _applied_migrations(using: str) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


@dataclass
class Report:
    path: Path
    tables: int
    rows: int
    files: int
    bytes: int


def _snapshot(using: str):
    """A transaction in which every read sees the same moment."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    atomic = transaction.atomic(using=using)
    atomic.__enter__()
    if connection.vendor == "postgresql" and outermost:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    return atomic


def _add_file(tar: tarfile.TarFile, name: str, fileobj, size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    info.mode = 0o600
    tar.addfile(info, fileobj)


def backup(
    path: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    media: bool = True,
    log: Callable[[str], None] = lambda _s: None,
) -> Report:
    """Write the archive to `path` (atomically: a temporary file renamed when complete)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created": dt.datetime.now(dt.UTC).isoformat(),
        "engine": connections[using].vendor,
        "migrations": _applied_migrations(using),
        "tables": {},
        "media_files": 0,
    }
    total_rows = 0
    try:
        with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
            atomic = _snapshot(using)
            try:
                for model in backed_up_models(using):
                    label = model._meta.label_lower
                    digest = hashlib.sha256()
                    count = 0
                    # Spool each table to a temporary file: a tar member needs its size before its bytes.
                    with tempfile.TemporaryFile(dir=path.parent) as spool:
                        for row in _rows(model, using):
                            line = _line(row)
                            digest.update(line)
                            spool.write(line)
                            count += 1
                        size = spool.tell()
                        spool.seek(0)
                        _add_file(tar, f"data/{label}.jsonl", spool, size)
                    manifest["tables"][label] = {
                        "table": model._meta.db_table,
                        "columns": [f.attname for f in _columns(model)],
                        "rows": count,
                        "sha256": digest.hexdigest(),
                    }
                    total_rows += count
                    if count:
                        log(f"{label}: {count} rows")
            finally:
                atomic.__exit__(None, None, None)
            files = 0
            media_root = Path(settings.MEDIA_ROOT)
            if media and media_root.is_dir():
                for file in sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()):
                    rel = file.relative_to(media_root).as_posix()
                    tar.add(str(file), arcname=f"media/{rel}", recursive=False)
                    files += 1
            manifest["media_files"] = files
            log(f"media: {files} files")
            body = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            _add_file(tar, "manifest.json", io.BytesIO(body), len(body))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Report(path, len(manifest["tables"]), total_rows, files, path.stat().st_size)


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember("manifest.json")
    except KeyError:
        raise BackupError("This file is not a Learning City backup (no manifest.json).") from None
    extracted = tar.extractfile(member)
    if extracted is None:
        raise BackupError("The backup's manifest cannot be read.")
    manifest = json.load(extracted)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}; expected {FORMAT!r}.")
    return manifest


def _rows_in_use(using: str) -> list[str]:
    busy = []
    derived = {label for hooks in app_modules("restore_hooks") for label in hooks.DERIVED}
    for model in backed_up_models(using):
        label = model._meta.label_lower
        if label in AUTO_FILLED or label in derived:
            continue
        if model._base_manager.using(using).exists():
            busy.append(label)
    return busy


def _insert(model: type[models.Model], rows: Iterable[list[Any]], using: str) -> int:
    cols = _columns(model)
    count = 0
    batch: list[models.Model] = []
    manager = model._base_manager.using(using)
    connection = connections[using]
    # SQLite limits the number of variables in one statement; keep well below it.
    size = max(1, min(BATCH, 30000 // max(1, len(cols)))) if connection.vendor == "sqlite" else BATCH
    for row in rows:
        obj = model.__new__(model)
        obj._state = models.base.ModelState()
        obj._state.db = using
        for field, value in zip(cols, row, strict=True):
            setattr(obj, field.attname, _python(field, value))
        batch.append(obj)
        if len(batch) >= size:
            manager._insert(batch, fields=cols, using=using, raw=True)  # type: ignore[attr-defined]
            count += len(batch)
            batch = []
    if batch:
        manager._insert(batch, fields=cols, using=using, raw=True)  # type: ignore[attr-defined]
        count += len(batch)
    return count


def _safe_media_name(name: str) -> PurePosixPath | None:
    rel = PurePosixPath(name).relative_to("media")
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        return None
    return rel


def _restorable_models(manifest: dict, using: str, *, force: bool) -> dict[str, type[models.Model]]:
    """The models to load, by label, once the archive is known to fit this code and this database."""
    here = set(_applied_migrations(using))
    there = set(manifest["migrations"])
    if there - here:
        missing = ", ".join(sorted(there - here)[:5])
        raise BackupError(
            f"The backup was made by newer code (migrations not known here: {missing}). "
            "Install the version that made it, or a newer one, then restore."
        )
    known = {m._meta.label_lower: m for m in backed_up_models(using)}
    unknown = [label for label, t in manifest["tables"].items() if label not in known and t["rows"]]
    if unknown:
        raise BackupError(f"The backup holds tables this installation lacks: {', '.join(unknown)}.")
    busy = _rows_in_use(using)
    if busy and not force:
        raise BackupError(
            "The database is not empty (rows in "
            + ", ".join(busy[:5])
            + ("…" if len(busy) > 5 else "")
            + "). Restore into an empty database, or pass --force to replace everything in it."
        )
    return known


def _load_tables(
    tar: tarfile.TarFile,
    manifest: dict,
    known: dict[str, type[models.Model]],
    using: str,
    log: Callable[[str], None],
) -> int:
    """Insert every table's rows from the archive; the number of rows."""
    total = 0
    for label, table in manifest["tables"].items():
        if label not in known:
            continue
        model = known[label]
        columns = [f.attname for f in _columns(model)]
        if columns != table["columns"]:
            raise BackupError(
                f"{label}: the columns differ from the backup's ({table['columns']} here {columns}); "
                "restore with the code version that made the backup, then upgrade."
            )
        data = tar.extractfile(f"data/{label}.jsonl")
        if data is None:
            raise BackupError(f"{label}: the data is missing from the archive.")
        rows = (json.loads(line) for line in data if line.strip())
        count = _insert(model, rows, using)
        total += count
        if count:
            log(f"{label}: {count} rows")
    return total


def _verify_tables(manifest: dict, known: dict[str, type[models.Model]], using: str) -> None:
    """Every table holds exactly what the backup held (checked before committing)."""
    for label, table in manifest["tables"].items():
        if label not in known:
            continue
        count, checksum = table_digest(known[label], using)
        if (count, checksum) != (table["rows"], table["sha256"]):
            raise BackupError(
                f"{label}: after restore {count} rows (checksum {checksum[:12]}), "
                f"the backup holds {table['rows']} rows (checksum {table['sha256'][:12]}). Nothing was changed."
            )


def _restore_media(tar: tarfile.TarFile) -> int:
    """Write the archive's media files under MEDIA_ROOT (each through a temporary name); the number written."""
    files = 0
    media_root = Path(settings.MEDIA_ROOT)
    for member in tar:
        if not member.name.startswith("media/") or not member.isfile():
            continue
        rel = _safe_media_name(member.name)
        if rel is None:
            continue
        target = media_root.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        if source is None:
            continue
        tmp = target.with_name(target.name + ".restoring")
        with open(tmp, "wb") as out:
            shutil.copyfileobj(source, out)
        os.replace(tmp, target)
        files += 1
    return files


def restore(
    path: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    force: bool = False,
    media: bool = True,
    migrate: bool = True,
    log: Callable[[str], None] = lambda _s: None,
) -> Report:
    """Load an archive into an empty database (its tables created by `migrate`, run here first)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    if migrate:
        call_command("migrate", database=using, interactive=False, verbosity=0)
    with tarfile.open(path, "r:gz") as tar:
        manifest = _read_manifest(tar)
        known = _restorable_models(manifest, using, force=force)
        connection = connections[using]
        with transaction.atomic(using=using), ExitStack() as suspended:
            # Tables that triggers keep from other tables come back as archived, not counted again while their
            # sources load: each app that keeps such tables suspends its triggers here (core.registry).
            for hooks in app_modules("restore_hooks"):
                suspended.enter_context(hooks.restore_load(connection))
            # Foreign keys are DEFERRABLE INITIALLY DEFERRED on both engines: checked at commit.
            for model in reversed(list(known.values())):
                model._base_manager.using(using).all()._raw_delete(using)  # type: ignore[attr-defined]
            total = _load_tables(tar, manifest, known, using, log)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(known.values())):
                    cursor.execute(sql)
            connection.check_constraints()
            _verify_tables(manifest, known, using)
        files = 0
        if media:
            files = _restore_media(tar)
            log(f"media: {files} files")
    return Report(path, len(manifest["tables"]), total, files, path.stat().st_size)
