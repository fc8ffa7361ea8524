-- analytics 0004: the dashboard rollups' uninstall statements on sqlite, frozen from trigger_sql.groups and
-- trigger_sql.sessions on 2026-12-04. Run one by one, in this order, by the migration. Never edit: a change
-- ships in a new migration.

-- statement 1
DROP TRIGGER IF EXISTS analytics_lg_ins

-- statement 2
DROP TRIGGER IF EXISTS analytics_lg_upd

-- statement 3
DROP TRIGGER IF EXISTS analytics_lg_del

-- statement 4
DROP TRIGGER IF EXISTS analytics_gy_ins

-- statement 5
DROP TRIGGER IF EXISTS analytics_gy_upd

-- statement 6
DROP TRIGGER IF EXISTS analytics_gy_del

-- statement 7
DROP TRIGGER IF EXISTS analytics_lg_programme

-- statement 8
DROP TRIGGER IF EXISTS analytics_sd_ins

-- statement 9
DROP TRIGGER IF EXISTS analytics_sd_del

-- statement 10
DROP TRIGGER IF EXISTS analytics_sd_upd_old

-- statement 11
DROP TRIGGER IF EXISTS analytics_sd_upd_new
