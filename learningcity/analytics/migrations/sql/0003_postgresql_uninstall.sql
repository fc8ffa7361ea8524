-- analytics 0003: the member rollups' uninstall statements on postgresql, frozen from trigger_sql.members on 2026-12-04.
-- Run one by one, in this order, by the migration. Never edit: a change ships in a new migration.

-- statement 1
DROP TRIGGER IF EXISTS analytics_mc_summary_ins ON analytics_participation

-- statement 2
DROP TRIGGER IF EXISTS analytics_mc_summary_upd ON analytics_participation

-- statement 3
DROP TRIGGER IF EXISTS analytics_mc_summary_del ON analytics_participation

-- statement 4
DROP TRIGGER IF EXISTS analytics_mc_membership_ins ON programmes_membership

-- statement 5
DROP TRIGGER IF EXISTS analytics_mc_membership_upd ON programmes_membership

-- statement 6
DROP TRIGGER IF EXISTS analytics_mc_membership_del ON programmes_membership

-- statement 7
DROP TRIGGER IF EXISTS analytics_mc_membership ON programmes_membership

-- statement 8
DROP FUNCTION IF EXISTS analytics_mc_summary_ins()

-- statement 9
DROP FUNCTION IF EXISTS analytics_mc_summary_upd()

-- statement 10
DROP FUNCTION IF EXISTS analytics_mc_summary_del()

-- statement 11
DROP FUNCTION IF EXISTS analytics_mc_membership_ins()

-- statement 12
DROP FUNCTION IF EXISTS analytics_mc_membership_upd()

-- statement 13
DROP FUNCTION IF EXISTS analytics_mc_membership_del()

-- statement 14
DROP FUNCTION IF EXISTS analytics_mc_membership()
