"""SQLite: an FTS5 index of the records' folded words (search text and ISBN), kept by triggers, so every way of
writing a record (the ORM, the MARC import's raw inserts) keeps it. PostgreSQL keeps the (city, word, record)
index of RecordWord for the same search; nothing is created there."""

from django.db import migrations

FTS = "library_record_fts"
SQLITE_UP = [
    # The text is folded already (core.text.fold): no diacritics to remove; tokens as Python's \\w+ words.
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(body, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3')",
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON library_record BEGIN
        INSERT INTO {FTS}(rowid, body) VALUES (new.id, new.search_text || ' ' || new.isbn);
    END""",
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON library_record BEGIN
        DELETE FROM {FTS} WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE OF search_text, isbn ON library_record BEGIN
        UPDATE {FTS} SET body = new.search_text || ' ' || new.isbn WHERE rowid = new.id;
    END""",
    f"INSERT INTO {FTS}(rowid, body) SELECT id, search_text || ' ' || isbn FROM library_record",
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(up, down)]
