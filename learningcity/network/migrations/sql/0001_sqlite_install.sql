-- network 0001: the practice search index's install statements on sqlite, frozen from network.search_index on 2026-12-04.
-- Run one by one, in this order, by the migration. Never edit: a change ships in a new migration.

-- statement 1
CREATE VIRTUAL TABLE IF NOT EXISTS network_practice_fts USING fts5(search_text, content='network_practice', content_rowid='id', tokenize='trigram')

-- statement 2
DROP TRIGGER IF EXISTS network_practice_fts_insert

-- statement 3
DROP TRIGGER IF EXISTS network_practice_fts_delete

-- statement 4
DROP TRIGGER IF EXISTS network_practice_fts_update

-- statement 5
CREATE TRIGGER network_practice_fts_insert AFTER INSERT ON network_practice BEGIN INSERT INTO network_practice_fts(rowid, search_text) VALUES (new.id, new.search_text); END

-- statement 6
CREATE TRIGGER network_practice_fts_delete AFTER DELETE ON network_practice BEGIN INSERT INTO network_practice_fts(network_practice_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END

-- statement 7
CREATE TRIGGER network_practice_fts_update AFTER UPDATE OF search_text ON network_practice BEGIN INSERT INTO network_practice_fts(network_practice_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); INSERT INTO network_practice_fts(rowid, search_text) VALUES (new.id, new.search_text); END

-- statement 8
INSERT INTO network_practice_fts(network_practice_fts) VALUES ('rebuild')
