-- analytics 0004: the dashboard rollups' uninstall statements on postgresql, frozen from trigger_sql.groups and
-- trigger_sql.sessions on 2026-12-04. Run one by one, in this order, by the migration. Never edit: a change
-- ships in a new migration.

-- statement 1
DROP TRIGGER IF EXISTS analytics_lg_ins ON analytics_programmelearner

-- statement 2
DROP TRIGGER IF EXISTS analytics_lg_upd ON analytics_programmelearner

-- statement 3
DROP TRIGGER IF EXISTS analytics_lg_del ON analytics_programmelearner

-- statement 4
DROP TRIGGER IF EXISTS analytics_gy_ins ON analytics_learnergroup

-- statement 5
DROP TRIGGER IF EXISTS analytics_gy_upd ON analytics_learnergroup

-- statement 6
DROP TRIGGER IF EXISTS analytics_gy_del ON analytics_learnergroup

-- statement 7
DROP TRIGGER IF EXISTS analytics_lg_programme ON programmes_programme

-- statement 8
DROP FUNCTION IF EXISTS analytics_lg_ins()

-- statement 9
DROP FUNCTION IF EXISTS analytics_lg_upd()

-- statement 10
DROP FUNCTION IF EXISTS analytics_lg_del()

-- statement 11
DROP FUNCTION IF EXISTS analytics_gy_ins()

-- statement 12
DROP FUNCTION IF EXISTS analytics_gy_upd()

-- statement 13
DROP FUNCTION IF EXISTS analytics_gy_del()

-- statement 14
DROP FUNCTION IF EXISTS analytics_lg_programme()

-- statement 15
DROP TRIGGER IF EXISTS analytics_sd_session ON programmes_session

-- statement 16
DROP FUNCTION IF EXISTS analytics_sd_session()
