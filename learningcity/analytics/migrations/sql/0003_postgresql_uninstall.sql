-- analytics 0003: the member rollups' uninstall statements on postgresql, frozen from trigger_sql.members on 2026-12-04.
-- Run one by one, in this order, by the migration. Never edit: a change ships in a new migration.

-- statement 1
DROP TRIGGER IF EXISTS analytics_mc_summary_ins ON analytics_participation

-- statement 2
DROP TRIGGER IF EXISTS analytics_mc_summary_upd ON analytics_participation

-- statement 3
DROP TRIGGER IF EXISTS analytics_mc_summary_del ON analytics_participation

-- statement 4
DROP TRIGGER IF EXISTS analytics_mc_membership ON programmes_membership

-- statement 5
DROP FUNCTION IF EXISTS analytics_mc_summary_ins()

-- statement 6
DROP FUNCTION IF EXISTS analytics_mc_summary_upd()

-- statement 7
DROP FUNCTION IF EXISTS analytics_mc_summary_del()

-- statement 8
DROP FUNCTION IF EXISTS analytics_mc_membership()
