-- network 0001: the practice search index's uninstall statements on sqlite, frozen from network.search_index on 2026-12-04.
-- Run one by one, in this order, by the migration. Never edit: a change ships in a new migration.

-- statement 1
DROP TRIGGER IF EXISTS network_practice_fts_insert

-- statement 2
DROP TRIGGER IF EXISTS network_practice_fts_delete

-- statement 3
DROP TRIGGER IF EXISTS network_practice_fts_update

-- statement 4
DROP TABLE IF EXISTS network_practice_fts
