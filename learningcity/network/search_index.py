"""The library's text index: practice search matches words through an index instead of reading every practice's
folded text (`Practice.search_text`, up to a few kilobytes each) on every query.

- SQLite: an FTS5 table with the trigram tokenizer (SQLite 3.34+) over `search_text`, external content (the text
  is stored once, in the practice), kept in step by three triggers. A trigram MATCH is a substring match, so a
  word of three letters or more finds exactly what `search_text GLOB '*word*'` finds; shorter words still use the
  substring filter.
- PostgreSQL: a GIN trigram index (pg_trgm, a trusted extension) that the planner uses for `LIKE '%word%'`.

Migration 0001 installs them from SQL frozen beside it (migrations/sql/0001_<engine>_{install,uninstall}.sql, read
through learningcity/core/frozen_sql.py), recorded from `install_statements` / `uninstall_statements` below;
`tests/test_search_index.py` holds the files equal to them, so a change here fails it until a new migration installs
the new SQL, frozen the same way. A migration that makes SQLite rebuild `network_practice` (an AlterField there)
drops the triggers with the old table: it must run the install statements again (idempotent; they rebuild the text
index from the practices), frozen beside it. `tests/test_search_index.py` also fails when the triggers are missing.
"""

from __future__ import annotations

FTS_TABLE = "network_practice_fts"

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS network_practice_fts USING fts5("
    "search_text, content='network_practice', content_rowid='id', tokenize='trigram')",
    "DROP TRIGGER IF EXISTS network_practice_fts_insert",
    "DROP TRIGGER IF EXISTS network_practice_fts_delete",
    "DROP TRIGGER IF EXISTS network_practice_fts_update",
    "CREATE TRIGGER network_practice_fts_insert AFTER INSERT ON network_practice BEGIN "
    "INSERT INTO network_practice_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER network_practice_fts_delete AFTER DELETE ON network_practice BEGIN "
    "INSERT INTO network_practice_fts(network_practice_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER network_practice_fts_update AFTER UPDATE OF search_text ON network_practice BEGIN "
    "INSERT INTO network_practice_fts(network_practice_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO network_practice_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO network_practice_fts(network_practice_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS network_practice_fts_insert",
    "DROP TRIGGER IF EXISTS network_practice_fts_delete",
    "DROP TRIGGER IF EXISTS network_practice_fts_update",
    "DROP TABLE IF EXISTS network_practice_fts",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS network_practice_search_trgm ON network_practice "
    "USING gin (search_text gin_trgm_ops)",
]
POSTGRESQL_DROP = ["DROP INDEX IF EXISTS network_practice_search_trgm"]
MIN_WORD = 3  # a trigram index answers words of three characters or more


def install_statements(vendor: str) -> list[str]:
    """The statements that create the index on `vendor` (idempotent; SQLite's rebuilds it from the practices)."""
    return {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, [])


def uninstall_statements(vendor: str) -> list[str]:
    return {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, [])


def fts_match(words: list[str]) -> str:
    """An FTS5 MATCH expression requiring every word as a substring (each quoted, quotes doubled)."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)
