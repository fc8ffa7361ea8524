-- network 0001: the practice search index's install statements on postgresql, frozen from network.search_index on 2026-12-04.
-- Run one by one, in this order, by the migration. Never edit: a change ships in a new migration.

-- statement 1
CREATE EXTENSION IF NOT EXISTS pg_trgm

-- statement 2
CREATE INDEX IF NOT EXISTS network_practice_search_trgm ON network_practice USING gin (search_text gin_trgm_ops)
