-- analytics 0003: the member rollups' install statements on postgresql, frozen from trigger_sql.members on 2026-12-04.
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

-- statement 9
DELETE FROM analytics_memberjoin

-- statement 10
DELETE FROM analytics_membercame

-- statement 11
INSERT INTO analytics_memberjoin (city_id, programme_id, year, joined, leaving) SELECT MIN(x.city_id), x.programme_id, x.year, SUM(x.j), SUM(x.l) FROM (SELECT m.city_id, m.programme_id, CAST(EXTRACT(YEAR FROM m.joined_on) AS INTEGER) AS year, 1 AS j, 0 AS l FROM programmes_membership m UNION ALL SELECT m.city_id, m.programme_id, CAST(EXTRACT(YEAR FROM m.left_on) AS INTEGER) AS year, 0 AS j, 1 AS l FROM programmes_membership m WHERE m.left_on IS NOT NULL) x GROUP BY x.programme_id, x.year

-- statement 12
INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT MIN(s.city_id), s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12), COUNT(*) FROM analytics_participation s JOIN programmes_membership m ON m.learner_id = s.learner_id AND m.programme_id = s.programme_id AND m.joined_on <= make_date(CAST(s.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(s.year AS INTEGER), 1, 1)) WHERE (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) > 0 GROUP BY s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12)

-- statement 13
CREATE OR REPLACE FUNCTION analytics_mc_summary_ins() RETURNS trigger AS $$
BEGIN
IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT MIN(u.city_id), u.programme_id, u.year, u.came, SUM(u.n) FROM (SELECT t.city_id, t.programme_id, t.year, (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) AS came, 1 * (SELECT COUNT(*) FROM programmes_membership m WHERE m.learner_id = t.learner_id AND m.programme_id = t.programme_id AND m.joined_on <= make_date(CAST(t.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(t.year AS INTEGER), 1, 1))) AS n FROM new_rows t WHERE (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) > 0) u GROUP BY u.programme_id, u.year, u.came HAVING SUM(u.n) <> 0 ORDER BY u.programme_id, u.year, u.came ON CONFLICT (programme_id, year, came) DO UPDATE SET members = analytics_membercame.members + EXCLUDED.members;
RETURN NULL;
END;
$$ LANGUAGE plpgsql

-- statement 14
CREATE TRIGGER analytics_mc_summary_ins AFTER INSERT ON analytics_participation REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mc_summary_ins()

-- statement 15
CREATE OR REPLACE FUNCTION analytics_mc_summary_upd() RETURNS trigger AS $$
BEGIN
IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT MIN(u.city_id), u.programme_id, u.year, u.came, SUM(u.n) FROM (SELECT t.city_id, t.programme_id, t.year, (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) AS came, 1 * (SELECT COUNT(*) FROM programmes_membership m WHERE m.learner_id = t.learner_id AND m.programme_id = t.programme_id AND m.joined_on <= make_date(CAST(t.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(t.year AS INTEGER), 1, 1))) AS n FROM new_rows t WHERE (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) > 0 UNION ALL SELECT t.city_id, t.programme_id, t.year, (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) AS came, -1 * (SELECT COUNT(*) FROM programmes_membership m WHERE m.learner_id = t.learner_id AND m.programme_id = t.programme_id AND m.joined_on <= make_date(CAST(t.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(t.year AS INTEGER), 1, 1))) AS n FROM old_rows t WHERE (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) > 0) u GROUP BY u.programme_id, u.year, u.came HAVING SUM(u.n) <> 0 ORDER BY u.programme_id, u.year, u.came ON CONFLICT (programme_id, year, came) DO UPDATE SET members = analytics_membercame.members + EXCLUDED.members;
RETURN NULL;
END;
$$ LANGUAGE plpgsql

-- statement 16
CREATE TRIGGER analytics_mc_summary_upd AFTER UPDATE ON analytics_participation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mc_summary_upd()

-- statement 17
CREATE OR REPLACE FUNCTION analytics_mc_summary_del() RETURNS trigger AS $$
BEGIN
IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
UPDATE analytics_membercame SET members = analytics_membercame.members + g.n FROM (SELECT MIN(u.city_id), u.programme_id, u.year, u.came, SUM(u.n) FROM (SELECT t.city_id, t.programme_id, t.year, (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) AS came, -1 * (SELECT COUNT(*) FROM programmes_membership m WHERE m.learner_id = t.learner_id AND m.programme_id = t.programme_id AND m.joined_on <= make_date(CAST(t.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(t.year AS INTEGER), 1, 1))) AS n FROM old_rows t WHERE (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) > 0) u GROUP BY u.programme_id, u.year, u.came HAVING SUM(u.n) <> 0 ORDER BY u.programme_id, u.year, u.came) AS g (city_id, programme_id, year, came, n) WHERE analytics_membercame.programme_id = g.programme_id AND analytics_membercame.year = g.year AND analytics_membercame.came = g.came;
RETURN NULL;
END;
$$ LANGUAGE plpgsql

-- statement 18
CREATE TRIGGER analytics_mc_summary_del AFTER DELETE ON analytics_participation REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mc_summary_del()

-- statement 19
CREATE OR REPLACE FUNCTION analytics_mc_membership() RETURNS trigger AS $$
BEGIN
IF TG_OP = 'UPDATE' AND NOT (NEW.learner_id IS DISTINCT FROM OLD.learner_id OR NEW.programme_id IS DISTINCT FROM OLD.programme_id OR NEW.joined_on IS DISTINCT FROM OLD.joined_on OR NEW.left_on IS DISTINCT FROM OLD.left_on OR NEW.city_id IS DISTINCT FROM OLD.city_id) THEN RETURN NULL; END IF;
IF TG_OP = 'DELETE' THEN
PERFORM pg_advisory_xact_lock(7351, CAST(OLD.city_id AS INTEGER));
ELSE
PERFORM pg_advisory_xact_lock(7351, CAST(NEW.city_id AS INTEGER));
END IF;
IF TG_OP IN ('UPDATE', 'DELETE') THEN
UPDATE analytics_memberjoin SET joined = joined - 1 WHERE programme_id = OLD.programme_id AND year = CAST(EXTRACT(YEAR FROM OLD.joined_on) AS INTEGER);
UPDATE analytics_memberjoin SET leaving = leaving - 1 WHERE OLD.left_on IS NOT NULL AND programme_id = OLD.programme_id AND year = CAST(EXTRACT(YEAR FROM OLD.left_on) AS INTEGER);
UPDATE analytics_membercame SET members = members - 1 WHERE programme_id = OLD.programme_id AND (year, came) IN (SELECT s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) FROM analytics_participation s WHERE s.learner_id = OLD.learner_id AND s.programme_id = OLD.programme_id AND (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) > 0 AND OLD.joined_on <= make_date(CAST(s.year AS INTEGER), 12, 31) AND (OLD.left_on IS NULL OR OLD.left_on >= make_date(CAST(s.year AS INTEGER), 1, 1)));
END IF;
IF TG_OP IN ('INSERT', 'UPDATE') THEN
INSERT INTO analytics_memberjoin (city_id, programme_id, year, joined, leaving) VALUES (NEW.city_id, NEW.programme_id, CAST(EXTRACT(YEAR FROM NEW.joined_on) AS INTEGER), 1, 0) ON CONFLICT (programme_id, year) DO UPDATE SET joined = analytics_memberjoin.joined + EXCLUDED.joined;
INSERT INTO analytics_memberjoin (city_id, programme_id, year, joined, leaving) SELECT NEW.city_id, NEW.programme_id, CAST(EXTRACT(YEAR FROM NEW.left_on) AS INTEGER), 0, 1 WHERE NEW.left_on IS NOT NULL ON CONFLICT (programme_id, year) DO UPDATE SET leaving = analytics_memberjoin.leaving + EXCLUDED.leaving;
INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT s.city_id, s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12), 1 FROM analytics_participation s WHERE s.learner_id = NEW.learner_id AND s.programme_id = NEW.programme_id AND (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) > 0 AND NEW.joined_on <= make_date(CAST(s.year AS INTEGER), 12, 31) AND (NEW.left_on IS NULL OR NEW.left_on >= make_date(CAST(s.year AS INTEGER), 1, 1)) ORDER BY s.programme_id, s.year ON CONFLICT (programme_id, year, came) DO UPDATE SET members = analytics_membercame.members + EXCLUDED.members;
END IF;
RETURN NULL;
END;
$$ LANGUAGE plpgsql

-- statement 20
CREATE TRIGGER analytics_mc_membership AFTER INSERT OR UPDATE OR DELETE ON programmes_membership FOR EACH ROW EXECUTE FUNCTION analytics_mc_membership()
