"""SQL frozen beside a migration: a migration that installs triggers or indexes runs statements recorded in files
next to it (`<migrations>/sql/<number>_<engine>_<name>.sql`, each statement after a `-- statement N` line), never
today's code, so what it installs cannot change after it ships. A test of the app holds each file equal to what its
code builds on the day the migration was written.

Migrations import this module: what it reads and runs must never change. A new way of freezing SQL is a new function
here, not an edit of these.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

_STATEMENT = re.compile(r"^-- statement \d+$", flags=re.MULTILINE)


def frozen_statements(sql_dir: Path, number: str, vendor: str, name: str) -> list[str]:
    """The statements of `sql_dir/<number>_<vendor>_<name>.sql`, in order (a missing file is an error)."""
    path = Path(sql_dir) / f"{number}_{vendor}_{name}.sql"
    return [part.strip() for part in _STATEMENT.split(path.read_text(encoding="utf-8"))[1:]]


def run_frozen(sql_dir: Path, number: str, name: str) -> Callable:
    """A RunPython function that runs the frozen statements of `name` for the migrating database's engine."""

    def run(apps, schema_editor):
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            for statement in frozen_statements(sql_dir, number, connection.vendor, name):
                cursor.execute(statement)

    return run
