"""The reader of SQL frozen beside migrations (core/frozen_sql.py)."""

import pytest
from django.db import connection

from learningcity.core import frozen_sql


def test_statements_are_read_in_order_without_their_markers(tmp_path):
    (tmp_path / "0009_sqlite_install.sql").write_text(
        "-- recorded from x.py\n-- statement 1\nCREATE TABLE t (a int);\n-- statement 2\n"
        "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN\n  SELECT 1;\nEND\n",
        encoding="utf-8",
    )
    assert frozen_sql.frozen_statements(tmp_path, "0009", "sqlite", "install") == [
        "CREATE TABLE t (a int);",
        "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN\n  SELECT 1;\nEND",
    ]


def test_a_missing_file_is_an_error_not_an_empty_migration(tmp_path):
    with pytest.raises(FileNotFoundError):
        frozen_sql.frozen_statements(tmp_path, "0009", "postgresql", "install")


@pytest.mark.django_db
def test_run_frozen_runs_them_on_the_migrating_database(tmp_path):
    (tmp_path / f"0009_{connection.vendor}_install.sql").write_text(
        "-- statement 1\nCREATE TABLE frozen_sql_probe (a integer)\n"
        "-- statement 2\nINSERT INTO frozen_sql_probe (a) VALUES (7)\n",
        encoding="utf-8",
    )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    frozen_sql.run_frozen(tmp_path, "0009", "install")(None, editor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT a FROM frozen_sql_probe")
        assert cursor.fetchall() == [(7,)]
