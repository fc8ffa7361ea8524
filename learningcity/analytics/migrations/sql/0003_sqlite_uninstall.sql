-- analytics 0003: the member rollups' uninstall statements on sqlite, frozen from trigger_sql.members on 2026-12-04.
-- Run one by one, in this order, by the migration. Never edit: a change ships in a new migration.

-- statement 1
DROP TRIGGER IF EXISTS analytics_mc_summary_ins

-- statement 2
DROP TRIGGER IF EXISTS analytics_mc_summary_upd

-- statement 3
DROP TRIGGER IF EXISTS analytics_mc_summary_del

-- statement 4
DROP TRIGGER IF EXISTS analytics_mc_membership_ins

-- statement 5
DROP TRIGGER IF EXISTS analytics_mc_membership_upd

-- statement 6
DROP TRIGGER IF EXISTS analytics_mc_membership_del
