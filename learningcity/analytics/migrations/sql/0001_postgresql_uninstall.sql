-- analytics 0001: the uninstall statements on postgresql, frozen from trigger_sql on 2026-12-04.
-- Run one by one, in this order, by the migration. Never edit: a change ships in a new migration.

-- statement 1
DROP TRIGGER IF EXISTS analytics_ly_ins ON analytics_participation

-- statement 2
DROP TRIGGER IF EXISTS analytics_ly_upd ON analytics_participation

-- statement 3
DROP TRIGGER IF EXISTS analytics_ly_del ON analytics_participation

-- statement 4
DROP TRIGGER IF EXISTS analytics_ly_learner_upd ON programmes_learner

-- statement 5
DROP TRIGGER IF EXISTS analytics_ly_learner_del ON programmes_learner

-- statement 6
DROP TRIGGER IF EXISTS analytics_py_ins ON analytics_learneryear

-- statement 7
DROP TRIGGER IF EXISTS analytics_py_upd ON analytics_learneryear

-- statement 8
DROP TRIGGER IF EXISTS analytics_py_del ON analytics_learneryear

-- statement 9
DROP TRIGGER IF EXISTS analytics_ly_sync ON analytics_participation

-- statement 10
DROP TRIGGER IF EXISTS analytics_py_sync ON analytics_learneryear

-- statement 11
DROP FUNCTION IF EXISTS analytics_ly_ins()

-- statement 12
DROP FUNCTION IF EXISTS analytics_ly_upd()

-- statement 13
DROP FUNCTION IF EXISTS analytics_ly_del()

-- statement 14
DROP FUNCTION IF EXISTS analytics_ly_learner_sync()

-- statement 15
DROP FUNCTION IF EXISTS analytics_py_ins()

-- statement 16
DROP FUNCTION IF EXISTS analytics_py_upd()

-- statement 17
DROP FUNCTION IF EXISTS analytics_py_del()

-- statement 18
DROP FUNCTION IF EXISTS analytics_ly_sync()

-- statement 19
DROP FUNCTION IF EXISTS analytics_py_sync()

-- statement 20
DROP TRIGGER IF EXISTS analytics_participation_ins ON programmes_attendance

-- statement 21
DROP FUNCTION IF EXISTS analytics_participation_ins()

-- statement 22
DROP TRIGGER IF EXISTS analytics_participation_upd ON programmes_attendance

-- statement 23
DROP FUNCTION IF EXISTS analytics_participation_upd()

-- statement 24
DROP TRIGGER IF EXISTS analytics_participation_del ON programmes_attendance

-- statement 25
DROP FUNCTION IF EXISTS analytics_participation_del()

-- statement 26
DROP TRIGGER IF EXISTS analytics_participation_sync ON programmes_attendance

-- statement 27
DROP FUNCTION IF EXISTS analytics_participation_sync()
