-- analytics 0002: the learner tally's install statements on sqlite, frozen from trigger_sql.tally on 2026-12-04.
-- Run one by one, in this order, by the migration. Never edit: a change ships in a new migration.

-- statement 1
DROP TRIGGER IF EXISTS analytics_tally_ins

-- statement 2
DROP TRIGGER IF EXISTS analytics_tally_del

-- statement 3
DROP TRIGGER IF EXISTS analytics_tally_move

-- statement 4
CREATE TRIGGER analytics_tally_ins AFTER INSERT ON programmes_learner BEGIN INSERT INTO analytics_learnertally (city_id, learners) VALUES (NEW.city_id, 1) ON CONFLICT (city_id) DO UPDATE SET learners = learners + 1; END

-- statement 5
CREATE TRIGGER analytics_tally_del AFTER DELETE ON programmes_learner BEGIN UPDATE analytics_learnertally SET learners = learners - 1 WHERE city_id = OLD.city_id; END

-- statement 6
CREATE TRIGGER analytics_tally_move AFTER UPDATE OF city_id ON programmes_learner WHEN OLD.city_id IS NOT NEW.city_id BEGIN UPDATE analytics_learnertally SET learners = learners - 1 WHERE city_id = OLD.city_id; INSERT INTO analytics_learnertally (city_id, learners) VALUES (NEW.city_id, 1) ON CONFLICT (city_id) DO UPDATE SET learners = learners + 1; END

-- statement 7
DELETE FROM analytics_learnertally

-- statement 8
INSERT INTO analytics_learnertally (city_id, learners) SELECT l.city_id, COUNT(*) FROM programmes_learner l GROUP BY l.city_id
