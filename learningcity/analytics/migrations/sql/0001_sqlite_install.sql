-- analytics 0001: the install statements on sqlite, frozen from trigger_sql on 2026-12-04.
-- Run one by one, in this order, by the migration. Never edit: a change ships in a new migration.

-- statement 1
DROP TRIGGER IF EXISTS analytics_att_insert

-- statement 2
DROP TRIGGER IF EXISTS analytics_att_delete_old_01

-- statement 3
DROP TRIGGER IF EXISTS analytics_att_update_old_01

-- statement 4
DROP TRIGGER IF EXISTS analytics_att_update_new_01

-- statement 5
DROP TRIGGER IF EXISTS analytics_att_delete_old_02

-- statement 6
DROP TRIGGER IF EXISTS analytics_att_update_old_02

-- statement 7
DROP TRIGGER IF EXISTS analytics_att_update_new_02

-- statement 8
DROP TRIGGER IF EXISTS analytics_att_delete_old_03

-- statement 9
DROP TRIGGER IF EXISTS analytics_att_update_old_03

-- statement 10
DROP TRIGGER IF EXISTS analytics_att_update_new_03

-- statement 11
DROP TRIGGER IF EXISTS analytics_att_delete_old_04

-- statement 12
DROP TRIGGER IF EXISTS analytics_att_update_old_04

-- statement 13
DROP TRIGGER IF EXISTS analytics_att_update_new_04

-- statement 14
DROP TRIGGER IF EXISTS analytics_att_delete_old_05

-- statement 15
DROP TRIGGER IF EXISTS analytics_att_update_old_05

-- statement 16
DROP TRIGGER IF EXISTS analytics_att_update_new_05

-- statement 17
DROP TRIGGER IF EXISTS analytics_att_delete_old_06

-- statement 18
DROP TRIGGER IF EXISTS analytics_att_update_old_06

-- statement 19
DROP TRIGGER IF EXISTS analytics_att_update_new_06

-- statement 20
DROP TRIGGER IF EXISTS analytics_att_delete_old_07

-- statement 21
DROP TRIGGER IF EXISTS analytics_att_update_old_07

-- statement 22
DROP TRIGGER IF EXISTS analytics_att_update_new_07

-- statement 23
DROP TRIGGER IF EXISTS analytics_att_delete_old_08

-- statement 24
DROP TRIGGER IF EXISTS analytics_att_update_old_08

-- statement 25
DROP TRIGGER IF EXISTS analytics_att_update_new_08

-- statement 26
DROP TRIGGER IF EXISTS analytics_att_delete_old_09

-- statement 27
DROP TRIGGER IF EXISTS analytics_att_update_old_09

-- statement 28
DROP TRIGGER IF EXISTS analytics_att_update_new_09

-- statement 29
DROP TRIGGER IF EXISTS analytics_att_delete_old_10

-- statement 30
DROP TRIGGER IF EXISTS analytics_att_update_old_10

-- statement 31
DROP TRIGGER IF EXISTS analytics_att_update_new_10

-- statement 32
DROP TRIGGER IF EXISTS analytics_att_delete_old_11

-- statement 33
DROP TRIGGER IF EXISTS analytics_att_update_old_11

-- statement 34
DROP TRIGGER IF EXISTS analytics_att_update_new_11

-- statement 35
DROP TRIGGER IF EXISTS analytics_att_delete_old_12

-- statement 36
DROP TRIGGER IF EXISTS analytics_att_update_old_12

-- statement 37
DROP TRIGGER IF EXISTS analytics_att_update_new_12

-- statement 38
DROP TRIGGER IF EXISTS analytics_att_insert_new_01

-- statement 39
DROP TRIGGER IF EXISTS analytics_att_insert_new_02

-- statement 40
DROP TRIGGER IF EXISTS analytics_att_insert_new_03

-- statement 41
DROP TRIGGER IF EXISTS analytics_att_insert_new_04

-- statement 42
DROP TRIGGER IF EXISTS analytics_att_insert_new_05

-- statement 43
DROP TRIGGER IF EXISTS analytics_att_insert_new_06

-- statement 44
DROP TRIGGER IF EXISTS analytics_att_insert_new_07

-- statement 45
DROP TRIGGER IF EXISTS analytics_att_insert_new_08

-- statement 46
DROP TRIGGER IF EXISTS analytics_att_insert_new_09

-- statement 47
DROP TRIGGER IF EXISTS analytics_att_insert_new_10

-- statement 48
DROP TRIGGER IF EXISTS analytics_att_insert_new_11

-- statement 49
DROP TRIGGER IF EXISTS analytics_att_insert_new_12

-- statement 50
DROP TRIGGER IF EXISTS analytics_att_ins

-- statement 51
DROP TRIGGER IF EXISTS analytics_att_del

-- statement 52
DROP TRIGGER IF EXISTS analytics_att_upd

-- statement 53
DROP TABLE IF EXISTS analytics_bulk_insert

-- statement 54
CREATE TABLE IF NOT EXISTS analytics_bulk_insert (active INTEGER NOT NULL)

-- statement 55
DELETE FROM analytics_bulk_insert

-- statement 56
CREATE TRIGGER analytics_att_insert AFTER INSERT ON programmes_attendance WHEN NOT EXISTS (SELECT 1 FROM analytics_bulk_insert) BEGIN INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, CAST(strftime('%Y', NEW.date) AS INTEGER), CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 1 THEN 1 ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 2 THEN 1 ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 3 THEN 1 ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 4 THEN 1 ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 5 THEN 1 ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 6 THEN 1 ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 7 THEN 1 ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 8 THEN 1 ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 9 THEN 1 ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 10 THEN 1 ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 11 THEN 1 ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 12 THEN 1 ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 1 THEN NEW.minutes ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 2 THEN NEW.minutes ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 3 THEN NEW.minutes ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 4 THEN NEW.minutes ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 5 THEN NEW.minutes ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 6 THEN NEW.minutes ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 7 THEN NEW.minutes ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 8 THEN NEW.minutes ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 9 THEN NEW.minutes ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 10 THEN NEW.minutes ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 11 THEN NEW.minutes ELSE 0 END, CASE WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 12 THEN NEW.minutes ELSE 0 END) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET a01 = a01 + excluded.a01, a02 = a02 + excluded.a02, a03 = a03 + excluded.a03, a04 = a04 + excluded.a04, a05 = a05 + excluded.a05, a06 = a06 + excluded.a06, a07 = a07 + excluded.a07, a08 = a08 + excluded.a08, a09 = a09 + excluded.a09, a10 = a10 + excluded.a10, a11 = a11 + excluded.a11, a12 = a12 + excluded.a12, n01 = n01 + excluded.n01, n02 = n02 + excluded.n02, n03 = n03 + excluded.n03, n04 = n04 + excluded.n04, n05 = n05 + excluded.n05, n06 = n06 + excluded.n06, n07 = n07 + excluded.n07, n08 = n08 + excluded.n08, n09 = n09 + excluded.n09, n10 = n10 + excluded.n10, n11 = n11 + excluded.n11, n12 = n12 + excluded.n12; END

-- statement 57
CREATE TRIGGER analytics_att_delete_old_01 AFTER DELETE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 1 BEGIN UPDATE analytics_participation SET a01 = a01 - 1, n01 = n01 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 58
CREATE TRIGGER analytics_att_update_old_01 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 1 BEGIN UPDATE analytics_participation SET a01 = a01 - 1, n01 = n01 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 59
CREATE TRIGGER analytics_att_update_new_01 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 1 BEGIN INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, CAST(strftime('%Y', NEW.date) AS INTEGER), 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NEW.minutes, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET a01 = a01 + 1, n01 = n01 + excluded.n01; END

-- statement 60
CREATE TRIGGER analytics_att_delete_old_02 AFTER DELETE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 2 BEGIN UPDATE analytics_participation SET a02 = a02 - 1, n02 = n02 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 61
CREATE TRIGGER analytics_att_update_old_02 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 2 BEGIN UPDATE analytics_participation SET a02 = a02 - 1, n02 = n02 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 62
CREATE TRIGGER analytics_att_update_new_02 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 2 BEGIN INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, CAST(strftime('%Y', NEW.date) AS INTEGER), 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NEW.minutes, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET a02 = a02 + 1, n02 = n02 + excluded.n02; END

-- statement 63
CREATE TRIGGER analytics_att_delete_old_03 AFTER DELETE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 3 BEGIN UPDATE analytics_participation SET a03 = a03 - 1, n03 = n03 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 64
CREATE TRIGGER analytics_att_update_old_03 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 3 BEGIN UPDATE analytics_participation SET a03 = a03 - 1, n03 = n03 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 65
CREATE TRIGGER analytics_att_update_new_03 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 3 BEGIN INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, CAST(strftime('%Y', NEW.date) AS INTEGER), 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NEW.minutes, 0, 0, 0, 0, 0, 0, 0, 0, 0) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET a03 = a03 + 1, n03 = n03 + excluded.n03; END

-- statement 66
CREATE TRIGGER analytics_att_delete_old_04 AFTER DELETE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 4 BEGIN UPDATE analytics_participation SET a04 = a04 - 1, n04 = n04 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 67
CREATE TRIGGER analytics_att_update_old_04 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 4 BEGIN UPDATE analytics_participation SET a04 = a04 - 1, n04 = n04 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 68
CREATE TRIGGER analytics_att_update_new_04 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 4 BEGIN INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, CAST(strftime('%Y', NEW.date) AS INTEGER), 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NEW.minutes, 0, 0, 0, 0, 0, 0, 0, 0) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET a04 = a04 + 1, n04 = n04 + excluded.n04; END

-- statement 69
CREATE TRIGGER analytics_att_delete_old_05 AFTER DELETE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 5 BEGIN UPDATE analytics_participation SET a05 = a05 - 1, n05 = n05 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 70
CREATE TRIGGER analytics_att_update_old_05 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 5 BEGIN UPDATE analytics_participation SET a05 = a05 - 1, n05 = n05 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 71
CREATE TRIGGER analytics_att_update_new_05 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 5 BEGIN INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, CAST(strftime('%Y', NEW.date) AS INTEGER), 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NEW.minutes, 0, 0, 0, 0, 0, 0, 0) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET a05 = a05 + 1, n05 = n05 + excluded.n05; END

-- statement 72
CREATE TRIGGER analytics_att_delete_old_06 AFTER DELETE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 6 BEGIN UPDATE analytics_participation SET a06 = a06 - 1, n06 = n06 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 73
CREATE TRIGGER analytics_att_update_old_06 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 6 BEGIN UPDATE analytics_participation SET a06 = a06 - 1, n06 = n06 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 74
CREATE TRIGGER analytics_att_update_new_06 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 6 BEGIN INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, CAST(strftime('%Y', NEW.date) AS INTEGER), 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NEW.minutes, 0, 0, 0, 0, 0, 0) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET a06 = a06 + 1, n06 = n06 + excluded.n06; END

-- statement 75
CREATE TRIGGER analytics_att_delete_old_07 AFTER DELETE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 7 BEGIN UPDATE analytics_participation SET a07 = a07 - 1, n07 = n07 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 76
CREATE TRIGGER analytics_att_update_old_07 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 7 BEGIN UPDATE analytics_participation SET a07 = a07 - 1, n07 = n07 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 77
CREATE TRIGGER analytics_att_update_new_07 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 7 BEGIN INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, CAST(strftime('%Y', NEW.date) AS INTEGER), 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NEW.minutes, 0, 0, 0, 0, 0) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET a07 = a07 + 1, n07 = n07 + excluded.n07; END

-- statement 78
CREATE TRIGGER analytics_att_delete_old_08 AFTER DELETE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 8 BEGIN UPDATE analytics_participation SET a08 = a08 - 1, n08 = n08 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 79
CREATE TRIGGER analytics_att_update_old_08 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 8 BEGIN UPDATE analytics_participation SET a08 = a08 - 1, n08 = n08 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 80
CREATE TRIGGER analytics_att_update_new_08 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 8 BEGIN INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, CAST(strftime('%Y', NEW.date) AS INTEGER), 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NEW.minutes, 0, 0, 0, 0) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET a08 = a08 + 1, n08 = n08 + excluded.n08; END

-- statement 81
CREATE TRIGGER analytics_att_delete_old_09 AFTER DELETE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 9 BEGIN UPDATE analytics_participation SET a09 = a09 - 1, n09 = n09 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 82
CREATE TRIGGER analytics_att_update_old_09 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 9 BEGIN UPDATE analytics_participation SET a09 = a09 - 1, n09 = n09 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 83
CREATE TRIGGER analytics_att_update_new_09 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 9 BEGIN INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, CAST(strftime('%Y', NEW.date) AS INTEGER), 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NEW.minutes, 0, 0, 0) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET a09 = a09 + 1, n09 = n09 + excluded.n09; END

-- statement 84
CREATE TRIGGER analytics_att_delete_old_10 AFTER DELETE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 10 BEGIN UPDATE analytics_participation SET a10 = a10 - 1, n10 = n10 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 85
CREATE TRIGGER analytics_att_update_old_10 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 10 BEGIN UPDATE analytics_participation SET a10 = a10 - 1, n10 = n10 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 86
CREATE TRIGGER analytics_att_update_new_10 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 10 BEGIN INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, CAST(strftime('%Y', NEW.date) AS INTEGER), 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NEW.minutes, 0, 0) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET a10 = a10 + 1, n10 = n10 + excluded.n10; END

-- statement 87
CREATE TRIGGER analytics_att_delete_old_11 AFTER DELETE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 11 BEGIN UPDATE analytics_participation SET a11 = a11 - 1, n11 = n11 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 88
CREATE TRIGGER analytics_att_update_old_11 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 11 BEGIN UPDATE analytics_participation SET a11 = a11 - 1, n11 = n11 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 89
CREATE TRIGGER analytics_att_update_new_11 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 11 BEGIN INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, CAST(strftime('%Y', NEW.date) AS INTEGER), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NEW.minutes, 0) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET a11 = a11 + 1, n11 = n11 + excluded.n11; END

-- statement 90
CREATE TRIGGER analytics_att_delete_old_12 AFTER DELETE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 12 BEGIN UPDATE analytics_participation SET a12 = a12 - 1, n12 = n12 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 91
CREATE TRIGGER analytics_att_update_old_12 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', OLD.date) AS INTEGER) = 12 BEGIN UPDATE analytics_participation SET a12 = a12 - 1, n12 = n12 - OLD.minutes WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.date) AS INTEGER); END

-- statement 92
CREATE TRIGGER analytics_att_update_new_12 AFTER UPDATE ON programmes_attendance WHEN CAST(strftime('%m', NEW.date) AS INTEGER) = 12 BEGIN INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, CAST(strftime('%Y', NEW.date) AS INTEGER), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NEW.minutes) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET a12 = a12 + 1, n12 = n12 + excluded.n12; END

-- statement 93
DROP TRIGGER IF EXISTS analytics_ly_ins

-- statement 94
DROP TRIGGER IF EXISTS analytics_ly_upd

-- statement 95
DROP TRIGGER IF EXISTS analytics_ly_upd_move

-- statement 96
DROP TRIGGER IF EXISTS analytics_ly_del

-- statement 97
DROP TRIGGER IF EXISTS analytics_ly_learner_upd

-- statement 98
DROP TRIGGER IF EXISTS analytics_ly_learner_del

-- statement 99
DROP TRIGGER IF EXISTS analytics_py_ins

-- statement 100
DROP TRIGGER IF EXISTS analytics_py_upd

-- statement 101
DROP TRIGGER IF EXISTS analytics_py_upd_move

-- statement 102
DROP TRIGGER IF EXISTS analytics_py_del

-- statement 103
CREATE TRIGGER analytics_ly_ins AFTER INSERT ON analytics_participation BEGIN INSERT INTO analytics_learneryear (city_id, learner_id, year, area_id, sex, birth_year, ethnicity, has_disability, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) SELECT NEW.city_id, l.id, NEW.year, l.area_id, l.sex, l.birth_year, l.ethnicity, l.has_disability, NEW.a01, NEW.a02, NEW.a03, NEW.a04, NEW.a05, NEW.a06, NEW.a07, NEW.a08, NEW.a09, NEW.a10, NEW.a11, NEW.a12, NEW.n01, NEW.n02, NEW.n03, NEW.n04, NEW.n05, NEW.n06, NEW.n07, NEW.n08, NEW.n09, NEW.n10, NEW.n11, NEW.n12 FROM programmes_learner l WHERE l.id = NEW.learner_id ON CONFLICT (learner_id, year) DO UPDATE SET a01 = a01 + excluded.a01, a02 = a02 + excluded.a02, a03 = a03 + excluded.a03, a04 = a04 + excluded.a04, a05 = a05 + excluded.a05, a06 = a06 + excluded.a06, a07 = a07 + excluded.a07, a08 = a08 + excluded.a08, a09 = a09 + excluded.a09, a10 = a10 + excluded.a10, a11 = a11 + excluded.a11, a12 = a12 + excluded.a12, n01 = n01 + excluded.n01, n02 = n02 + excluded.n02, n03 = n03 + excluded.n03, n04 = n04 + excluded.n04, n05 = n05 + excluded.n05, n06 = n06 + excluded.n06, n07 = n07 + excluded.n07, n08 = n08 + excluded.n08, n09 = n09 + excluded.n09, n10 = n10 + excluded.n10, n11 = n11 + excluded.n11, n12 = n12 + excluded.n12; INSERT INTO analytics_programmelearner (city_id, year, programme_id, learner_id, months) VALUES (NEW.city_id, NEW.year, NEW.programme_id, NEW.learner_id, (CASE WHEN NEW.a01 > 0 THEN 1 ELSE 0 END) + (CASE WHEN NEW.a02 > 0 THEN 2 ELSE 0 END) + (CASE WHEN NEW.a03 > 0 THEN 4 ELSE 0 END) + (CASE WHEN NEW.a04 > 0 THEN 8 ELSE 0 END) + (CASE WHEN NEW.a05 > 0 THEN 16 ELSE 0 END) + (CASE WHEN NEW.a06 > 0 THEN 32 ELSE 0 END) + (CASE WHEN NEW.a07 > 0 THEN 64 ELSE 0 END) + (CASE WHEN NEW.a08 > 0 THEN 128 ELSE 0 END) + (CASE WHEN NEW.a09 > 0 THEN 256 ELSE 0 END) + (CASE WHEN NEW.a10 > 0 THEN 512 ELSE 0 END) + (CASE WHEN NEW.a11 > 0 THEN 1024 ELSE 0 END) + (CASE WHEN NEW.a12 > 0 THEN 2048 ELSE 0 END)) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET months = excluded.months; INSERT INTO analytics_programmeyear (city_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.programme_id, NEW.year, NEW.a01, NEW.a02, NEW.a03, NEW.a04, NEW.a05, NEW.a06, NEW.a07, NEW.a08, NEW.a09, NEW.a10, NEW.a11, NEW.a12, NEW.n01, NEW.n02, NEW.n03, NEW.n04, NEW.n05, NEW.n06, NEW.n07, NEW.n08, NEW.n09, NEW.n10, NEW.n11, NEW.n12) ON CONFLICT (programme_id, year) DO UPDATE SET a01 = a01 + excluded.a01, a02 = a02 + excluded.a02, a03 = a03 + excluded.a03, a04 = a04 + excluded.a04, a05 = a05 + excluded.a05, a06 = a06 + excluded.a06, a07 = a07 + excluded.a07, a08 = a08 + excluded.a08, a09 = a09 + excluded.a09, a10 = a10 + excluded.a10, a11 = a11 + excluded.a11, a12 = a12 + excluded.a12, n01 = n01 + excluded.n01, n02 = n02 + excluded.n02, n03 = n03 + excluded.n03, n04 = n04 + excluded.n04, n05 = n05 + excluded.n05, n06 = n06 + excluded.n06, n07 = n07 + excluded.n07, n08 = n08 + excluded.n08, n09 = n09 + excluded.n09, n10 = n10 + excluded.n10, n11 = n11 + excluded.n11, n12 = n12 + excluded.n12; END

-- statement 104
CREATE TRIGGER analytics_ly_upd AFTER UPDATE ON analytics_participation WHEN NEW.learner_id = OLD.learner_id AND NEW.programme_id = OLD.programme_id AND NEW.year = OLD.year BEGIN UPDATE analytics_learneryear SET a01 = a01 + (NEW.a01 - OLD.a01), a02 = a02 + (NEW.a02 - OLD.a02), a03 = a03 + (NEW.a03 - OLD.a03), a04 = a04 + (NEW.a04 - OLD.a04), a05 = a05 + (NEW.a05 - OLD.a05), a06 = a06 + (NEW.a06 - OLD.a06), a07 = a07 + (NEW.a07 - OLD.a07), a08 = a08 + (NEW.a08 - OLD.a08), a09 = a09 + (NEW.a09 - OLD.a09), a10 = a10 + (NEW.a10 - OLD.a10), a11 = a11 + (NEW.a11 - OLD.a11), a12 = a12 + (NEW.a12 - OLD.a12), n01 = n01 + (NEW.n01 - OLD.n01), n02 = n02 + (NEW.n02 - OLD.n02), n03 = n03 + (NEW.n03 - OLD.n03), n04 = n04 + (NEW.n04 - OLD.n04), n05 = n05 + (NEW.n05 - OLD.n05), n06 = n06 + (NEW.n06 - OLD.n06), n07 = n07 + (NEW.n07 - OLD.n07), n08 = n08 + (NEW.n08 - OLD.n08), n09 = n09 + (NEW.n09 - OLD.n09), n10 = n10 + (NEW.n10 - OLD.n10), n11 = n11 + (NEW.n11 - OLD.n11), n12 = n12 + (NEW.n12 - OLD.n12) WHERE learner_id = NEW.learner_id AND year = NEW.year; UPDATE analytics_programmelearner SET months = (CASE WHEN NEW.a01 > 0 THEN 1 ELSE 0 END) + (CASE WHEN NEW.a02 > 0 THEN 2 ELSE 0 END) + (CASE WHEN NEW.a03 > 0 THEN 4 ELSE 0 END) + (CASE WHEN NEW.a04 > 0 THEN 8 ELSE 0 END) + (CASE WHEN NEW.a05 > 0 THEN 16 ELSE 0 END) + (CASE WHEN NEW.a06 > 0 THEN 32 ELSE 0 END) + (CASE WHEN NEW.a07 > 0 THEN 64 ELSE 0 END) + (CASE WHEN NEW.a08 > 0 THEN 128 ELSE 0 END) + (CASE WHEN NEW.a09 > 0 THEN 256 ELSE 0 END) + (CASE WHEN NEW.a10 > 0 THEN 512 ELSE 0 END) + (CASE WHEN NEW.a11 > 0 THEN 1024 ELSE 0 END) + (CASE WHEN NEW.a12 > 0 THEN 2048 ELSE 0 END) WHERE learner_id = NEW.learner_id AND programme_id = NEW.programme_id AND year = NEW.year; UPDATE analytics_programmeyear SET a01 = a01 + (NEW.a01 - OLD.a01), a02 = a02 + (NEW.a02 - OLD.a02), a03 = a03 + (NEW.a03 - OLD.a03), a04 = a04 + (NEW.a04 - OLD.a04), a05 = a05 + (NEW.a05 - OLD.a05), a06 = a06 + (NEW.a06 - OLD.a06), a07 = a07 + (NEW.a07 - OLD.a07), a08 = a08 + (NEW.a08 - OLD.a08), a09 = a09 + (NEW.a09 - OLD.a09), a10 = a10 + (NEW.a10 - OLD.a10), a11 = a11 + (NEW.a11 - OLD.a11), a12 = a12 + (NEW.a12 - OLD.a12), n01 = n01 + (NEW.n01 - OLD.n01), n02 = n02 + (NEW.n02 - OLD.n02), n03 = n03 + (NEW.n03 - OLD.n03), n04 = n04 + (NEW.n04 - OLD.n04), n05 = n05 + (NEW.n05 - OLD.n05), n06 = n06 + (NEW.n06 - OLD.n06), n07 = n07 + (NEW.n07 - OLD.n07), n08 = n08 + (NEW.n08 - OLD.n08), n09 = n09 + (NEW.n09 - OLD.n09), n10 = n10 + (NEW.n10 - OLD.n10), n11 = n11 + (NEW.n11 - OLD.n11), n12 = n12 + (NEW.n12 - OLD.n12) WHERE programme_id = NEW.programme_id AND year = NEW.year; END

-- statement 105
CREATE TRIGGER analytics_ly_upd_move AFTER UPDATE ON analytics_participation WHEN NOT (NEW.learner_id = OLD.learner_id AND NEW.programme_id = OLD.programme_id AND NEW.year = OLD.year) BEGIN UPDATE analytics_learneryear SET a01 = a01 - OLD.a01, a02 = a02 - OLD.a02, a03 = a03 - OLD.a03, a04 = a04 - OLD.a04, a05 = a05 - OLD.a05, a06 = a06 - OLD.a06, a07 = a07 - OLD.a07, a08 = a08 - OLD.a08, a09 = a09 - OLD.a09, a10 = a10 - OLD.a10, a11 = a11 - OLD.a11, a12 = a12 - OLD.a12, n01 = n01 - OLD.n01, n02 = n02 - OLD.n02, n03 = n03 - OLD.n03, n04 = n04 - OLD.n04, n05 = n05 - OLD.n05, n06 = n06 - OLD.n06, n07 = n07 - OLD.n07, n08 = n08 - OLD.n08, n09 = n09 - OLD.n09, n10 = n10 - OLD.n10, n11 = n11 - OLD.n11, n12 = n12 - OLD.n12 WHERE learner_id = OLD.learner_id AND year = OLD.year; DELETE FROM analytics_programmelearner WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = OLD.year; UPDATE analytics_programmeyear SET a01 = a01 - OLD.a01, a02 = a02 - OLD.a02, a03 = a03 - OLD.a03, a04 = a04 - OLD.a04, a05 = a05 - OLD.a05, a06 = a06 - OLD.a06, a07 = a07 - OLD.a07, a08 = a08 - OLD.a08, a09 = a09 - OLD.a09, a10 = a10 - OLD.a10, a11 = a11 - OLD.a11, a12 = a12 - OLD.a12, n01 = n01 - OLD.n01, n02 = n02 - OLD.n02, n03 = n03 - OLD.n03, n04 = n04 - OLD.n04, n05 = n05 - OLD.n05, n06 = n06 - OLD.n06, n07 = n07 - OLD.n07, n08 = n08 - OLD.n08, n09 = n09 - OLD.n09, n10 = n10 - OLD.n10, n11 = n11 - OLD.n11, n12 = n12 - OLD.n12 WHERE programme_id = OLD.programme_id AND year = OLD.year; INSERT INTO analytics_learneryear (city_id, learner_id, year, area_id, sex, birth_year, ethnicity, has_disability, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) SELECT NEW.city_id, l.id, NEW.year, l.area_id, l.sex, l.birth_year, l.ethnicity, l.has_disability, NEW.a01, NEW.a02, NEW.a03, NEW.a04, NEW.a05, NEW.a06, NEW.a07, NEW.a08, NEW.a09, NEW.a10, NEW.a11, NEW.a12, NEW.n01, NEW.n02, NEW.n03, NEW.n04, NEW.n05, NEW.n06, NEW.n07, NEW.n08, NEW.n09, NEW.n10, NEW.n11, NEW.n12 FROM programmes_learner l WHERE l.id = NEW.learner_id ON CONFLICT (learner_id, year) DO UPDATE SET a01 = a01 + excluded.a01, a02 = a02 + excluded.a02, a03 = a03 + excluded.a03, a04 = a04 + excluded.a04, a05 = a05 + excluded.a05, a06 = a06 + excluded.a06, a07 = a07 + excluded.a07, a08 = a08 + excluded.a08, a09 = a09 + excluded.a09, a10 = a10 + excluded.a10, a11 = a11 + excluded.a11, a12 = a12 + excluded.a12, n01 = n01 + excluded.n01, n02 = n02 + excluded.n02, n03 = n03 + excluded.n03, n04 = n04 + excluded.n04, n05 = n05 + excluded.n05, n06 = n06 + excluded.n06, n07 = n07 + excluded.n07, n08 = n08 + excluded.n08, n09 = n09 + excluded.n09, n10 = n10 + excluded.n10, n11 = n11 + excluded.n11, n12 = n12 + excluded.n12; INSERT INTO analytics_programmelearner (city_id, year, programme_id, learner_id, months) VALUES (NEW.city_id, NEW.year, NEW.programme_id, NEW.learner_id, (CASE WHEN NEW.a01 > 0 THEN 1 ELSE 0 END) + (CASE WHEN NEW.a02 > 0 THEN 2 ELSE 0 END) + (CASE WHEN NEW.a03 > 0 THEN 4 ELSE 0 END) + (CASE WHEN NEW.a04 > 0 THEN 8 ELSE 0 END) + (CASE WHEN NEW.a05 > 0 THEN 16 ELSE 0 END) + (CASE WHEN NEW.a06 > 0 THEN 32 ELSE 0 END) + (CASE WHEN NEW.a07 > 0 THEN 64 ELSE 0 END) + (CASE WHEN NEW.a08 > 0 THEN 128 ELSE 0 END) + (CASE WHEN NEW.a09 > 0 THEN 256 ELSE 0 END) + (CASE WHEN NEW.a10 > 0 THEN 512 ELSE 0 END) + (CASE WHEN NEW.a11 > 0 THEN 1024 ELSE 0 END) + (CASE WHEN NEW.a12 > 0 THEN 2048 ELSE 0 END)) ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET months = excluded.months; INSERT INTO analytics_programmeyear (city_id, programme_id, year, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.programme_id, NEW.year, NEW.a01, NEW.a02, NEW.a03, NEW.a04, NEW.a05, NEW.a06, NEW.a07, NEW.a08, NEW.a09, NEW.a10, NEW.a11, NEW.a12, NEW.n01, NEW.n02, NEW.n03, NEW.n04, NEW.n05, NEW.n06, NEW.n07, NEW.n08, NEW.n09, NEW.n10, NEW.n11, NEW.n12) ON CONFLICT (programme_id, year) DO UPDATE SET a01 = a01 + excluded.a01, a02 = a02 + excluded.a02, a03 = a03 + excluded.a03, a04 = a04 + excluded.a04, a05 = a05 + excluded.a05, a06 = a06 + excluded.a06, a07 = a07 + excluded.a07, a08 = a08 + excluded.a08, a09 = a09 + excluded.a09, a10 = a10 + excluded.a10, a11 = a11 + excluded.a11, a12 = a12 + excluded.a12, n01 = n01 + excluded.n01, n02 = n02 + excluded.n02, n03 = n03 + excluded.n03, n04 = n04 + excluded.n04, n05 = n05 + excluded.n05, n06 = n06 + excluded.n06, n07 = n07 + excluded.n07, n08 = n08 + excluded.n08, n09 = n09 + excluded.n09, n10 = n10 + excluded.n10, n11 = n11 + excluded.n11, n12 = n12 + excluded.n12; END

-- statement 106
CREATE TRIGGER analytics_ly_del AFTER DELETE ON analytics_participation BEGIN UPDATE analytics_learneryear SET a01 = a01 - OLD.a01, a02 = a02 - OLD.a02, a03 = a03 - OLD.a03, a04 = a04 - OLD.a04, a05 = a05 - OLD.a05, a06 = a06 - OLD.a06, a07 = a07 - OLD.a07, a08 = a08 - OLD.a08, a09 = a09 - OLD.a09, a10 = a10 - OLD.a10, a11 = a11 - OLD.a11, a12 = a12 - OLD.a12, n01 = n01 - OLD.n01, n02 = n02 - OLD.n02, n03 = n03 - OLD.n03, n04 = n04 - OLD.n04, n05 = n05 - OLD.n05, n06 = n06 - OLD.n06, n07 = n07 - OLD.n07, n08 = n08 - OLD.n08, n09 = n09 - OLD.n09, n10 = n10 - OLD.n10, n11 = n11 - OLD.n11, n12 = n12 - OLD.n12 WHERE learner_id = OLD.learner_id AND year = OLD.year; DELETE FROM analytics_programmelearner WHERE learner_id = OLD.learner_id AND programme_id = OLD.programme_id AND year = OLD.year; UPDATE analytics_programmeyear SET a01 = a01 - OLD.a01, a02 = a02 - OLD.a02, a03 = a03 - OLD.a03, a04 = a04 - OLD.a04, a05 = a05 - OLD.a05, a06 = a06 - OLD.a06, a07 = a07 - OLD.a07, a08 = a08 - OLD.a08, a09 = a09 - OLD.a09, a10 = a10 - OLD.a10, a11 = a11 - OLD.a11, a12 = a12 - OLD.a12, n01 = n01 - OLD.n01, n02 = n02 - OLD.n02, n03 = n03 - OLD.n03, n04 = n04 - OLD.n04, n05 = n05 - OLD.n05, n06 = n06 - OLD.n06, n07 = n07 - OLD.n07, n08 = n08 - OLD.n08, n09 = n09 - OLD.n09, n10 = n10 - OLD.n10, n11 = n11 - OLD.n11, n12 = n12 - OLD.n12 WHERE programme_id = OLD.programme_id AND year = OLD.year; END

-- statement 107
CREATE TRIGGER analytics_ly_learner_upd AFTER UPDATE ON programmes_learner WHEN NEW.area_id IS NOT OLD.area_id OR NEW.sex IS NOT OLD.sex OR NEW.birth_year IS NOT OLD.birth_year OR NEW.ethnicity IS NOT OLD.ethnicity OR NEW.has_disability IS NOT OLD.has_disability BEGIN UPDATE analytics_learneryear SET area_id = NEW.area_id, sex = NEW.sex, birth_year = NEW.birth_year, ethnicity = NEW.ethnicity, has_disability = NEW.has_disability WHERE learner_id = NEW.id; END

-- statement 108
CREATE TRIGGER analytics_ly_learner_del AFTER DELETE ON programmes_learner BEGIN DELETE FROM analytics_learneryear WHERE learner_id = OLD.id; END

-- statement 109
CREATE TRIGGER analytics_py_ins AFTER INSERT ON analytics_learneryear BEGIN INSERT INTO analytics_peopleyear (city_id, year, area_id, sex, age_band, ethnicity, disability, learners, q1, q2, q3, q4, l01, l02, l03, l04, l05, l06, l07, l08, l09, l10, l11, l12, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.year, COALESCE(NEW.area_id, 0), NEW.sex, CASE WHEN NEW.birth_year IS NULL THEN '' WHEN NEW.year - NEW.birth_year < 0 THEN '' WHEN NEW.year - NEW.birth_year <= 5 THEN '0-5' WHEN NEW.year - NEW.birth_year <= 14 THEN '6-14' WHEN NEW.year - NEW.birth_year <= 24 THEN '15-24' WHEN NEW.year - NEW.birth_year <= 64 THEN '25-64' ELSE '65+' END, NEW.ethnicity, CASE WHEN NEW.has_disability IS NULL THEN '' WHEN NEW.has_disability THEN 'yes' ELSE 'no' END, (CASE WHEN NEW.a01 + NEW.a02 + NEW.a03 + NEW.a04 + NEW.a05 + NEW.a06 + NEW.a07 + NEW.a08 + NEW.a09 + NEW.a10 + NEW.a11 + NEW.a12 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a01 + NEW.a02 + NEW.a03 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a04 + NEW.a05 + NEW.a06 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a07 + NEW.a08 + NEW.a09 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a10 + NEW.a11 + NEW.a12 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a01 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a02 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a03 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a04 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a05 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a06 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a07 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a08 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a09 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a10 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a11 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a12 > 0 THEN 1 ELSE 0 END), NEW.a01, NEW.a02, NEW.a03, NEW.a04, NEW.a05, NEW.a06, NEW.a07, NEW.a08, NEW.a09, NEW.a10, NEW.a11, NEW.a12, NEW.n01, NEW.n02, NEW.n03, NEW.n04, NEW.n05, NEW.n06, NEW.n07, NEW.n08, NEW.n09, NEW.n10, NEW.n11, NEW.n12) ON CONFLICT (city_id, year, area_id, sex, age_band, ethnicity, disability) DO UPDATE SET learners = learners + excluded.learners, q1 = q1 + excluded.q1, q2 = q2 + excluded.q2, q3 = q3 + excluded.q3, q4 = q4 + excluded.q4, l01 = l01 + excluded.l01, l02 = l02 + excluded.l02, l03 = l03 + excluded.l03, l04 = l04 + excluded.l04, l05 = l05 + excluded.l05, l06 = l06 + excluded.l06, l07 = l07 + excluded.l07, l08 = l08 + excluded.l08, l09 = l09 + excluded.l09, l10 = l10 + excluded.l10, l11 = l11 + excluded.l11, l12 = l12 + excluded.l12, a01 = a01 + excluded.a01, a02 = a02 + excluded.a02, a03 = a03 + excluded.a03, a04 = a04 + excluded.a04, a05 = a05 + excluded.a05, a06 = a06 + excluded.a06, a07 = a07 + excluded.a07, a08 = a08 + excluded.a08, a09 = a09 + excluded.a09, a10 = a10 + excluded.a10, a11 = a11 + excluded.a11, a12 = a12 + excluded.a12, n01 = n01 + excluded.n01, n02 = n02 + excluded.n02, n03 = n03 + excluded.n03, n04 = n04 + excluded.n04, n05 = n05 + excluded.n05, n06 = n06 + excluded.n06, n07 = n07 + excluded.n07, n08 = n08 + excluded.n08, n09 = n09 + excluded.n09, n10 = n10 + excluded.n10, n11 = n11 + excluded.n11, n12 = n12 + excluded.n12; END

-- statement 110
CREATE TRIGGER analytics_py_upd AFTER UPDATE ON analytics_learneryear WHEN NEW.city_id IS OLD.city_id AND NEW.year IS OLD.year AND NEW.area_id IS OLD.area_id AND NEW.sex IS OLD.sex AND NEW.birth_year IS OLD.birth_year AND NEW.ethnicity IS OLD.ethnicity AND NEW.has_disability IS OLD.has_disability BEGIN UPDATE analytics_peopleyear SET learners = learners + ((CASE WHEN NEW.a01 + NEW.a02 + NEW.a03 + NEW.a04 + NEW.a05 + NEW.a06 + NEW.a07 + NEW.a08 + NEW.a09 + NEW.a10 + NEW.a11 + NEW.a12 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a01 + OLD.a02 + OLD.a03 + OLD.a04 + OLD.a05 + OLD.a06 + OLD.a07 + OLD.a08 + OLD.a09 + OLD.a10 + OLD.a11 + OLD.a12 > 0 THEN 1 ELSE 0 END)), q1 = q1 + ((CASE WHEN NEW.a01 + NEW.a02 + NEW.a03 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a01 + OLD.a02 + OLD.a03 > 0 THEN 1 ELSE 0 END)), q2 = q2 + ((CASE WHEN NEW.a04 + NEW.a05 + NEW.a06 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a04 + OLD.a05 + OLD.a06 > 0 THEN 1 ELSE 0 END)), q3 = q3 + ((CASE WHEN NEW.a07 + NEW.a08 + NEW.a09 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a07 + OLD.a08 + OLD.a09 > 0 THEN 1 ELSE 0 END)), q4 = q4 + ((CASE WHEN NEW.a10 + NEW.a11 + NEW.a12 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a10 + OLD.a11 + OLD.a12 > 0 THEN 1 ELSE 0 END)), l01 = l01 + ((CASE WHEN NEW.a01 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a01 > 0 THEN 1 ELSE 0 END)), l02 = l02 + ((CASE WHEN NEW.a02 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a02 > 0 THEN 1 ELSE 0 END)), l03 = l03 + ((CASE WHEN NEW.a03 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a03 > 0 THEN 1 ELSE 0 END)), l04 = l04 + ((CASE WHEN NEW.a04 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a04 > 0 THEN 1 ELSE 0 END)), l05 = l05 + ((CASE WHEN NEW.a05 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a05 > 0 THEN 1 ELSE 0 END)), l06 = l06 + ((CASE WHEN NEW.a06 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a06 > 0 THEN 1 ELSE 0 END)), l07 = l07 + ((CASE WHEN NEW.a07 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a07 > 0 THEN 1 ELSE 0 END)), l08 = l08 + ((CASE WHEN NEW.a08 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a08 > 0 THEN 1 ELSE 0 END)), l09 = l09 + ((CASE WHEN NEW.a09 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a09 > 0 THEN 1 ELSE 0 END)), l10 = l10 + ((CASE WHEN NEW.a10 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a10 > 0 THEN 1 ELSE 0 END)), l11 = l11 + ((CASE WHEN NEW.a11 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a11 > 0 THEN 1 ELSE 0 END)), l12 = l12 + ((CASE WHEN NEW.a12 > 0 THEN 1 ELSE 0 END) - (CASE WHEN OLD.a12 > 0 THEN 1 ELSE 0 END)), a01 = a01 + (NEW.a01 - OLD.a01), a02 = a02 + (NEW.a02 - OLD.a02), a03 = a03 + (NEW.a03 - OLD.a03), a04 = a04 + (NEW.a04 - OLD.a04), a05 = a05 + (NEW.a05 - OLD.a05), a06 = a06 + (NEW.a06 - OLD.a06), a07 = a07 + (NEW.a07 - OLD.a07), a08 = a08 + (NEW.a08 - OLD.a08), a09 = a09 + (NEW.a09 - OLD.a09), a10 = a10 + (NEW.a10 - OLD.a10), a11 = a11 + (NEW.a11 - OLD.a11), a12 = a12 + (NEW.a12 - OLD.a12), n01 = n01 + (NEW.n01 - OLD.n01), n02 = n02 + (NEW.n02 - OLD.n02), n03 = n03 + (NEW.n03 - OLD.n03), n04 = n04 + (NEW.n04 - OLD.n04), n05 = n05 + (NEW.n05 - OLD.n05), n06 = n06 + (NEW.n06 - OLD.n06), n07 = n07 + (NEW.n07 - OLD.n07), n08 = n08 + (NEW.n08 - OLD.n08), n09 = n09 + (NEW.n09 - OLD.n09), n10 = n10 + (NEW.n10 - OLD.n10), n11 = n11 + (NEW.n11 - OLD.n11), n12 = n12 + (NEW.n12 - OLD.n12) WHERE city_id = NEW.city_id AND year = NEW.year AND area_id = COALESCE(NEW.area_id, 0) AND sex = NEW.sex AND age_band = CASE WHEN NEW.birth_year IS NULL THEN '' WHEN NEW.year - NEW.birth_year < 0 THEN '' WHEN NEW.year - NEW.birth_year <= 5 THEN '0-5' WHEN NEW.year - NEW.birth_year <= 14 THEN '6-14' WHEN NEW.year - NEW.birth_year <= 24 THEN '15-24' WHEN NEW.year - NEW.birth_year <= 64 THEN '25-64' ELSE '65+' END AND ethnicity = NEW.ethnicity AND disability = CASE WHEN NEW.has_disability IS NULL THEN '' WHEN NEW.has_disability THEN 'yes' ELSE 'no' END; END

-- statement 111
CREATE TRIGGER analytics_py_upd_move AFTER UPDATE ON analytics_learneryear WHEN NOT (NEW.city_id IS OLD.city_id AND NEW.year IS OLD.year AND NEW.area_id IS OLD.area_id AND NEW.sex IS OLD.sex AND NEW.birth_year IS OLD.birth_year AND NEW.ethnicity IS OLD.ethnicity AND NEW.has_disability IS OLD.has_disability) BEGIN UPDATE analytics_peopleyear SET learners = learners - (CASE WHEN OLD.a01 + OLD.a02 + OLD.a03 + OLD.a04 + OLD.a05 + OLD.a06 + OLD.a07 + OLD.a08 + OLD.a09 + OLD.a10 + OLD.a11 + OLD.a12 > 0 THEN 1 ELSE 0 END), q1 = q1 - (CASE WHEN OLD.a01 + OLD.a02 + OLD.a03 > 0 THEN 1 ELSE 0 END), q2 = q2 - (CASE WHEN OLD.a04 + OLD.a05 + OLD.a06 > 0 THEN 1 ELSE 0 END), q3 = q3 - (CASE WHEN OLD.a07 + OLD.a08 + OLD.a09 > 0 THEN 1 ELSE 0 END), q4 = q4 - (CASE WHEN OLD.a10 + OLD.a11 + OLD.a12 > 0 THEN 1 ELSE 0 END), l01 = l01 - (CASE WHEN OLD.a01 > 0 THEN 1 ELSE 0 END), l02 = l02 - (CASE WHEN OLD.a02 > 0 THEN 1 ELSE 0 END), l03 = l03 - (CASE WHEN OLD.a03 > 0 THEN 1 ELSE 0 END), l04 = l04 - (CASE WHEN OLD.a04 > 0 THEN 1 ELSE 0 END), l05 = l05 - (CASE WHEN OLD.a05 > 0 THEN 1 ELSE 0 END), l06 = l06 - (CASE WHEN OLD.a06 > 0 THEN 1 ELSE 0 END), l07 = l07 - (CASE WHEN OLD.a07 > 0 THEN 1 ELSE 0 END), l08 = l08 - (CASE WHEN OLD.a08 > 0 THEN 1 ELSE 0 END), l09 = l09 - (CASE WHEN OLD.a09 > 0 THEN 1 ELSE 0 END), l10 = l10 - (CASE WHEN OLD.a10 > 0 THEN 1 ELSE 0 END), l11 = l11 - (CASE WHEN OLD.a11 > 0 THEN 1 ELSE 0 END), l12 = l12 - (CASE WHEN OLD.a12 > 0 THEN 1 ELSE 0 END), a01 = a01 - OLD.a01, a02 = a02 - OLD.a02, a03 = a03 - OLD.a03, a04 = a04 - OLD.a04, a05 = a05 - OLD.a05, a06 = a06 - OLD.a06, a07 = a07 - OLD.a07, a08 = a08 - OLD.a08, a09 = a09 - OLD.a09, a10 = a10 - OLD.a10, a11 = a11 - OLD.a11, a12 = a12 - OLD.a12, n01 = n01 - OLD.n01, n02 = n02 - OLD.n02, n03 = n03 - OLD.n03, n04 = n04 - OLD.n04, n05 = n05 - OLD.n05, n06 = n06 - OLD.n06, n07 = n07 - OLD.n07, n08 = n08 - OLD.n08, n09 = n09 - OLD.n09, n10 = n10 - OLD.n10, n11 = n11 - OLD.n11, n12 = n12 - OLD.n12 WHERE city_id = OLD.city_id AND year = OLD.year AND area_id = COALESCE(OLD.area_id, 0) AND sex = OLD.sex AND age_band = CASE WHEN OLD.birth_year IS NULL THEN '' WHEN OLD.year - OLD.birth_year < 0 THEN '' WHEN OLD.year - OLD.birth_year <= 5 THEN '0-5' WHEN OLD.year - OLD.birth_year <= 14 THEN '6-14' WHEN OLD.year - OLD.birth_year <= 24 THEN '15-24' WHEN OLD.year - OLD.birth_year <= 64 THEN '25-64' ELSE '65+' END AND ethnicity = OLD.ethnicity AND disability = CASE WHEN OLD.has_disability IS NULL THEN '' WHEN OLD.has_disability THEN 'yes' ELSE 'no' END; INSERT INTO analytics_peopleyear (city_id, year, area_id, sex, age_band, ethnicity, disability, learners, q1, q2, q3, q4, l01, l02, l03, l04, l05, l06, l07, l08, l09, l10, l11, l12, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12, n01, n02, n03, n04, n05, n06, n07, n08, n09, n10, n11, n12) VALUES (NEW.city_id, NEW.year, COALESCE(NEW.area_id, 0), NEW.sex, CASE WHEN NEW.birth_year IS NULL THEN '' WHEN NEW.year - NEW.birth_year < 0 THEN '' WHEN NEW.year - NEW.birth_year <= 5 THEN '0-5' WHEN NEW.year - NEW.birth_year <= 14 THEN '6-14' WHEN NEW.year - NEW.birth_year <= 24 THEN '15-24' WHEN NEW.year - NEW.birth_year <= 64 THEN '25-64' ELSE '65+' END, NEW.ethnicity, CASE WHEN NEW.has_disability IS NULL THEN '' WHEN NEW.has_disability THEN 'yes' ELSE 'no' END, (CASE WHEN NEW.a01 + NEW.a02 + NEW.a03 + NEW.a04 + NEW.a05 + NEW.a06 + NEW.a07 + NEW.a08 + NEW.a09 + NEW.a10 + NEW.a11 + NEW.a12 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a01 + NEW.a02 + NEW.a03 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a04 + NEW.a05 + NEW.a06 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a07 + NEW.a08 + NEW.a09 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a10 + NEW.a11 + NEW.a12 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a01 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a02 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a03 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a04 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a05 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a06 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a07 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a08 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a09 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a10 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a11 > 0 THEN 1 ELSE 0 END), (CASE WHEN NEW.a12 > 0 THEN 1 ELSE 0 END), NEW.a01, NEW.a02, NEW.a03, NEW.a04, NEW.a05, NEW.a06, NEW.a07, NEW.a08, NEW.a09, NEW.a10, NEW.a11, NEW.a12, NEW.n01, NEW.n02, NEW.n03, NEW.n04, NEW.n05, NEW.n06, NEW.n07, NEW.n08, NEW.n09, NEW.n10, NEW.n11, NEW.n12) ON CONFLICT (city_id, year, area_id, sex, age_band, ethnicity, disability) DO UPDATE SET learners = learners + excluded.learners, q1 = q1 + excluded.q1, q2 = q2 + excluded.q2, q3 = q3 + excluded.q3, q4 = q4 + excluded.q4, l01 = l01 + excluded.l01, l02 = l02 + excluded.l02, l03 = l03 + excluded.l03, l04 = l04 + excluded.l04, l05 = l05 + excluded.l05, l06 = l06 + excluded.l06, l07 = l07 + excluded.l07, l08 = l08 + excluded.l08, l09 = l09 + excluded.l09, l10 = l10 + excluded.l10, l11 = l11 + excluded.l11, l12 = l12 + excluded.l12, a01 = a01 + excluded.a01, a02 = a02 + excluded.a02, a03 = a03 + excluded.a03, a04 = a04 + excluded.a04, a05 = a05 + excluded.a05, a06 = a06 + excluded.a06, a07 = a07 + excluded.a07, a08 = a08 + excluded.a08, a09 = a09 + excluded.a09, a10 = a10 + excluded.a10, a11 = a11 + excluded.a11, a12 = a12 + excluded.a12, n01 = n01 + excluded.n01, n02 = n02 + excluded.n02, n03 = n03 + excluded.n03, n04 = n04 + excluded.n04, n05 = n05 + excluded.n05, n06 = n06 + excluded.n06, n07 = n07 + excluded.n07, n08 = n08 + excluded.n08, n09 = n09 + excluded.n09, n10 = n10 + excluded.n10, n11 = n11 + excluded.n11, n12 = n12 + excluded.n12; END

-- statement 112
CREATE TRIGGER analytics_py_del AFTER DELETE ON analytics_learneryear BEGIN UPDATE analytics_peopleyear SET learners = learners - (CASE WHEN OLD.a01 + OLD.a02 + OLD.a03 + OLD.a04 + OLD.a05 + OLD.a06 + OLD.a07 + OLD.a08 + OLD.a09 + OLD.a10 + OLD.a11 + OLD.a12 > 0 THEN 1 ELSE 0 END), q1 = q1 - (CASE WHEN OLD.a01 + OLD.a02 + OLD.a03 > 0 THEN 1 ELSE 0 END), q2 = q2 - (CASE WHEN OLD.a04 + OLD.a05 + OLD.a06 > 0 THEN 1 ELSE 0 END), q3 = q3 - (CASE WHEN OLD.a07 + OLD.a08 + OLD.a09 > 0 THEN 1 ELSE 0 END), q4 = q4 - (CASE WHEN OLD.a10 + OLD.a11 + OLD.a12 > 0 THEN 1 ELSE 0 END), l01 = l01 - (CASE WHEN OLD.a01 > 0 THEN 1 ELSE 0 END), l02 = l02 - (CASE WHEN OLD.a02 > 0 THEN 1 ELSE 0 END), l03 = l03 - (CASE WHEN OLD.a03 > 0 THEN 1 ELSE 0 END), l04 = l04 - (CASE WHEN OLD.a04 > 0 THEN 1 ELSE 0 END), l05 = l05 - (CASE WHEN OLD.a05 > 0 THEN 1 ELSE 0 END), l06 = l06 - (CASE WHEN OLD.a06 > 0 THEN 1 ELSE 0 END), l07 = l07 - (CASE WHEN OLD.a07 > 0 THEN 1 ELSE 0 END), l08 = l08 - (CASE WHEN OLD.a08 > 0 THEN 1 ELSE 0 END), l09 = l09 - (CASE WHEN OLD.a09 > 0 THEN 1 ELSE 0 END), l10 = l10 - (CASE WHEN OLD.a10 > 0 THEN 1 ELSE 0 END), l11 = l11 - (CASE WHEN OLD.a11 > 0 THEN 1 ELSE 0 END), l12 = l12 - (CASE WHEN OLD.a12 > 0 THEN 1 ELSE 0 END), a01 = a01 - OLD.a01, a02 = a02 - OLD.a02, a03 = a03 - OLD.a03, a04 = a04 - OLD.a04, a05 = a05 - OLD.a05, a06 = a06 - OLD.a06, a07 = a07 - OLD.a07, a08 = a08 - OLD.a08, a09 = a09 - OLD.a09, a10 = a10 - OLD.a10, a11 = a11 - OLD.a11, a12 = a12 - OLD.a12, n01 = n01 - OLD.n01, n02 = n02 - OLD.n02, n03 = n03 - OLD.n03, n04 = n04 - OLD.n04, n05 = n05 - OLD.n05, n06 = n06 - OLD.n06, n07 = n07 - OLD.n07, n08 = n08 - OLD.n08, n09 = n09 - OLD.n09, n10 = n10 - OLD.n10, n11 = n11 - OLD.n11, n12 = n12 - OLD.n12 WHERE city_id = OLD.city_id AND year = OLD.year AND area_id = COALESCE(OLD.area_id, 0) AND sex = OLD.sex AND age_band = CASE WHEN OLD.birth_year IS NULL THEN '' WHEN OLD.year - OLD.birth_year < 0 THEN '' WHEN OLD.year - OLD.birth_year <= 5 THEN '0-5' WHEN OLD.year - OLD.birth_year <= 14 THEN '6-14' WHEN OLD.year - OLD.birth_year <= 24 THEN '15-24' WHEN OLD.year - OLD.birth_year <= 64 THEN '25-64' ELSE '65+' END AND ethnicity = OLD.ethnicity AND disability = CASE WHEN OLD.has_disability IS NULL THEN '' WHEN OLD.has_disability THEN 'yes' ELSE 'no' END; END
