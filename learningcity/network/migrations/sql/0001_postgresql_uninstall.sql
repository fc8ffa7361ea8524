-- network 0001: the practice search index's uninstall statements on postgresql, frozen from network.search_index on 2026-12-04.
-- Run one by one, in this order, by the migration. Never edit: a change ships in a new migration.

-- statement 1
DROP INDEX IF EXISTS network_practice_search_trgm
