-- analytics 0002: the learner tally's install statements on postgresql, frozen from trigger_sql.tally on 2026-12-04.
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

-- statement 7
CREATE OR REPLACE FUNCTION analytics_tally_ins() RETURNS trigger AS $$
BEGIN
IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
PERFORM pg_advisory_xact_lock(7351, c.city_id::integer) FROM (SELECT DISTINCT city_id FROM new_rows ORDER BY city_id) c;
INSERT INTO analytics_learnertally (city_id, learners) SELECT t.city_id, COUNT(*) FROM new_rows t GROUP BY t.city_id ORDER BY t.city_id ON CONFLICT (city_id) DO UPDATE SET learners = analytics_learnertally.learners + EXCLUDED.learners;
RETURN NULL;
END;
$$ LANGUAGE plpgsql

-- statement 8
CREATE TRIGGER analytics_tally_ins AFTER INSERT ON programmes_learner REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_tally_ins()

-- statement 9
CREATE OR REPLACE FUNCTION analytics_tally_del() RETURNS trigger AS $$
BEGIN
IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
PERFORM pg_advisory_xact_lock(7351, c.city_id::integer) FROM (SELECT DISTINCT city_id FROM old_rows ORDER BY city_id) c;
UPDATE analytics_learnertally SET learners = analytics_learnertally.learners - g.n FROM (SELECT t.city_id, COUNT(*) AS n FROM old_rows t GROUP BY t.city_id) g WHERE analytics_learnertally.city_id = g.city_id;
RETURN NULL;
END;
$$ LANGUAGE plpgsql

-- statement 10
CREATE TRIGGER analytics_tally_del AFTER DELETE ON programmes_learner REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_tally_del()

-- statement 11
CREATE OR REPLACE FUNCTION analytics_tally_move() RETURNS trigger AS $$
BEGIN
PERFORM pg_advisory_xact_lock(7351, c::integer) FROM unnest(ARRAY[LEAST(OLD.city_id, NEW.city_id), GREATEST(OLD.city_id, NEW.city_id)]) c;
UPDATE analytics_learnertally SET learners = learners - 1 WHERE city_id = OLD.city_id;
INSERT INTO analytics_learnertally (city_id, learners) VALUES (NEW.city_id, 1) ON CONFLICT (city_id) DO UPDATE SET learners = analytics_learnertally.learners + 1;
RETURN NULL;
END;
$$ LANGUAGE plpgsql

-- statement 12
CREATE TRIGGER analytics_tally_move AFTER UPDATE OF city_id ON programmes_learner FOR EACH ROW WHEN (OLD.city_id IS DISTINCT FROM NEW.city_id) EXECUTE FUNCTION analytics_tally_move()

-- statement 13
DELETE FROM analytics_learnertally

-- statement 14
INSERT INTO analytics_learnertally (city_id, learners) SELECT l.city_id, COUNT(*) FROM programmes_learner l GROUP BY l.city_id
