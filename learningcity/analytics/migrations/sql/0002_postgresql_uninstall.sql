-- analytics 0002: the learner tally's uninstall statements on postgresql, frozen from trigger_sql.tally on 2026-12-04.
-- Run one by one, in this order, by the migration. Never edit: a change ships in a new migration.

-- statement 1
DROP TRIGGER IF EXISTS analytics_tally_ins ON programmes_learner

-- statement 2
DROP TRIGGER IF EXISTS analytics_tally_del ON programmes_learner

-- statement 3
DROP TRIGGER IF EXISTS analytics_tally_move ON programmes_learner

-- statement 4
DROP FUNCTION IF EXISTS analytics_tally_ins()

-- statement 5
DROP FUNCTION IF EXISTS analytics_tally_del()

-- statement 6
DROP FUNCTION IF EXISTS analytics_tally_move()
