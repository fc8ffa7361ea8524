-- analytics 0001: the uninstall statements on sqlite, frozen from trigger_sql on 2026-12-04.
-- Run one by one, in this order, by the migration. Never edit: a change ships in a new migration.

-- statement 1
DROP TRIGGER IF EXISTS analytics_ly_ins

-- statement 2
DROP TRIGGER IF EXISTS analytics_ly_upd

-- statement 3
DROP TRIGGER IF EXISTS analytics_ly_upd_move

-- statement 4
DROP TRIGGER IF EXISTS analytics_ly_del

-- statement 5
DROP TRIGGER IF EXISTS analytics_ly_learner_upd

-- statement 6
DROP TRIGGER IF EXISTS analytics_ly_learner_del

-- statement 7
DROP TRIGGER IF EXISTS analytics_py_ins

-- statement 8
DROP TRIGGER IF EXISTS analytics_py_upd

-- statement 9
DROP TRIGGER IF EXISTS analytics_py_upd_move

-- statement 10
DROP TRIGGER IF EXISTS analytics_py_del

-- statement 11
DROP TRIGGER IF EXISTS analytics_att_insert

-- statement 12
DROP TRIGGER IF EXISTS analytics_att_delete_old_01

-- statement 13
DROP TRIGGER IF EXISTS analytics_att_update_old_01

-- statement 14
DROP TRIGGER IF EXISTS analytics_att_update_new_01

-- statement 15
DROP TRIGGER IF EXISTS analytics_att_delete_old_02

-- statement 16
DROP TRIGGER IF EXISTS analytics_att_update_old_02

-- statement 17
DROP TRIGGER IF EXISTS analytics_att_update_new_02

-- statement 18
DROP TRIGGER IF EXISTS analytics_att_delete_old_03

-- statement 19
DROP TRIGGER IF EXISTS analytics_att_update_old_03

-- statement 20
DROP TRIGGER IF EXISTS analytics_att_update_new_03

-- statement 21
DROP TRIGGER IF EXISTS analytics_att_delete_old_04

-- statement 22
DROP TRIGGER IF EXISTS analytics_att_update_old_04

-- statement 23
DROP TRIGGER IF EXISTS analytics_att_update_new_04

-- statement 24
DROP TRIGGER IF EXISTS analytics_att_delete_old_05

-- statement 25
DROP TRIGGER IF EXISTS analytics_att_update_old_05

-- statement 26
DROP TRIGGER IF EXISTS analytics_att_update_new_05

-- statement 27
DROP TRIGGER IF EXISTS analytics_att_delete_old_06

-- statement 28
DROP TRIGGER IF EXISTS analytics_att_update_old_06

-- statement 29
DROP TRIGGER IF EXISTS analytics_att_update_new_06

-- statement 30
DROP TRIGGER IF EXISTS analytics_att_delete_old_07

-- statement 31
DROP TRIGGER IF EXISTS analytics_att_update_old_07

-- statement 32
DROP TRIGGER IF EXISTS analytics_att_update_new_07

-- statement 33
DROP TRIGGER IF EXISTS analytics_att_delete_old_08

-- statement 34
DROP TRIGGER IF EXISTS analytics_att_update_old_08

-- statement 35
DROP TRIGGER IF EXISTS analytics_att_update_new_08

-- statement 36
DROP TRIGGER IF EXISTS analytics_att_delete_old_09

-- statement 37
DROP TRIGGER IF EXISTS analytics_att_update_old_09

-- statement 38
DROP TRIGGER IF EXISTS analytics_att_update_new_09

-- statement 39
DROP TRIGGER IF EXISTS analytics_att_delete_old_10

-- statement 40
DROP TRIGGER IF EXISTS analytics_att_update_old_10

-- statement 41
DROP TRIGGER IF EXISTS analytics_att_update_new_10

-- statement 42
DROP TRIGGER IF EXISTS analytics_att_delete_old_11

-- statement 43
DROP TRIGGER IF EXISTS analytics_att_update_old_11

-- statement 44
DROP TRIGGER IF EXISTS analytics_att_update_new_11

-- statement 45
DROP TRIGGER IF EXISTS analytics_att_delete_old_12

-- statement 46
DROP TRIGGER IF EXISTS analytics_att_update_old_12

-- statement 47
DROP TRIGGER IF EXISTS analytics_att_update_new_12

-- statement 48
DROP TRIGGER IF EXISTS analytics_att_insert_new_01

-- statement 49
DROP TRIGGER IF EXISTS analytics_att_insert_new_02

-- statement 50
DROP TRIGGER IF EXISTS analytics_att_insert_new_03

-- statement 51
DROP TRIGGER IF EXISTS analytics_att_insert_new_04

-- statement 52
DROP TRIGGER IF EXISTS analytics_att_insert_new_05

-- statement 53
DROP TRIGGER IF EXISTS analytics_att_insert_new_06

-- statement 54
DROP TRIGGER IF EXISTS analytics_att_insert_new_07

-- statement 55
DROP TRIGGER IF EXISTS analytics_att_insert_new_08

-- statement 56
DROP TRIGGER IF EXISTS analytics_att_insert_new_09

-- statement 57
DROP TRIGGER IF EXISTS analytics_att_insert_new_10

-- statement 58
DROP TRIGGER IF EXISTS analytics_att_insert_new_11

-- statement 59
DROP TRIGGER IF EXISTS analytics_att_insert_new_12

-- statement 60
DROP TRIGGER IF EXISTS analytics_att_ins

-- statement 61
DROP TRIGGER IF EXISTS analytics_att_del

-- statement 62
DROP TRIGGER IF EXISTS analytics_att_upd

-- statement 63
DROP TABLE IF EXISTS analytics_bulk_insert
