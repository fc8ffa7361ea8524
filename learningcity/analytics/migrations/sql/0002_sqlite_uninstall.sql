-- analytics 0002: the learner tally's uninstall statements on sqlite, frozen from trigger_sql.tally on 2026-12-04.
-- Run one by one, in this order, by the migration. Never edit: a change ships in a new migration.

-- statement 1
DROP TRIGGER IF EXISTS analytics_tally_ins

-- statement 2
DROP TRIGGER IF EXISTS analytics_tally_del

-- statement 3
DROP TRIGGER IF EXISTS analytics_tally_move
