-- analytics 0003: the member rollups' install statements on postgresql, frozen from trigger_sql.members on 2026-12-04.
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

-- statement 15
DELETE FROM analytics_memberjoin

-- statement 16
DELETE FROM analytics_membercame

-- statement 17
INSERT INTO analytics_memberjoin (city_id, programme_id, year, joined, leaving) SELECT g.city_id, g.programme_id, g.year, g.joined, g.leaving FROM (SELECT MIN(x.city_id) AS city_id, x.programme_id, x.year, SUM(x.j) AS joined, SUM(x.l) AS leaving FROM (SELECT m.city_id, m.programme_id, CAST(EXTRACT(YEAR FROM m.joined_on) AS INTEGER) AS year, 1 AS j, 0 AS l FROM programmes_membership m UNION ALL SELECT m.city_id, m.programme_id, CAST(EXTRACT(YEAR FROM m.left_on) AS INTEGER) AS year, 0 AS j, 1 AS l FROM programmes_membership m WHERE m.left_on IS NOT NULL) x GROUP BY x.programme_id, x.year) g

-- statement 18
INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT g.city_id, g.programme_id, g.year, g.came, g.n FROM (SELECT MIN(s.city_id) AS city_id, s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) AS came, COUNT(*) AS n FROM analytics_participation s JOIN programmes_membership m ON m.learner_id = s.learner_id AND m.programme_id = s.programme_id AND m.joined_on <= make_date(CAST(s.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(s.year AS INTEGER), 1, 1)) WHERE (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) > 0 GROUP BY s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12)) g

-- statement 19
CREATE OR REPLACE FUNCTION analytics_mc_summary_ins() RETURNS trigger AS $$
BEGIN
IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT MIN(u.city_id), u.programme_id, u.year, u.came, SUM(u.n) FROM (SELECT t.city_id, t.programme_id, t.year, (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) AS came, 1 * (SELECT COUNT(*) FROM programmes_membership m WHERE m.learner_id = t.learner_id AND m.programme_id = t.programme_id AND m.joined_on <= make_date(CAST(t.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(t.year AS INTEGER), 1, 1))) AS n FROM new_rows t WHERE (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) > 0) u GROUP BY u.programme_id, u.year, u.came HAVING SUM(u.n) <> 0 ORDER BY u.programme_id, u.year, u.came ON CONFLICT (programme_id, year, came) DO UPDATE SET members = analytics_membercame.members + EXCLUDED.members;
RETURN NULL;
END;
$$ LANGUAGE plpgsql

-- statement 20
CREATE TRIGGER analytics_mc_summary_ins AFTER INSERT ON analytics_participation REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mc_summary_ins()

-- statement 21
CREATE OR REPLACE FUNCTION analytics_mc_summary_upd() RETURNS trigger AS $$
BEGIN
IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT MIN(u.city_id), u.programme_id, u.year, u.came, SUM(u.n) FROM (SELECT t.city_id, t.programme_id, t.year, (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) AS came, 1 * (SELECT COUNT(*) FROM programmes_membership m WHERE m.learner_id = t.learner_id AND m.programme_id = t.programme_id AND m.joined_on <= make_date(CAST(t.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(t.year AS INTEGER), 1, 1))) AS n FROM new_rows t WHERE (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) > 0 UNION ALL SELECT t.city_id, t.programme_id, t.year, (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) AS came, -1 * (SELECT COUNT(*) FROM programmes_membership m WHERE m.learner_id = t.learner_id AND m.programme_id = t.programme_id AND m.joined_on <= make_date(CAST(t.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(t.year AS INTEGER), 1, 1))) AS n FROM old_rows t WHERE (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) > 0) u GROUP BY u.programme_id, u.year, u.came HAVING SUM(u.n) <> 0 ORDER BY u.programme_id, u.year, u.came ON CONFLICT (programme_id, year, came) DO UPDATE SET members = analytics_membercame.members + EXCLUDED.members;
RETURN NULL;
END;
$$ LANGUAGE plpgsql

-- statement 22
CREATE TRIGGER analytics_mc_summary_upd AFTER UPDATE ON analytics_participation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mc_summary_upd()

-- statement 23
CREATE OR REPLACE FUNCTION analytics_mc_summary_del() RETURNS trigger AS $$
BEGIN
IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
UPDATE analytics_membercame SET members = analytics_membercame.members + g.n FROM (SELECT MIN(u.city_id), u.programme_id, u.year, u.came, SUM(u.n) FROM (SELECT t.city_id, t.programme_id, t.year, (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) AS came, -1 * (SELECT COUNT(*) FROM programmes_membership m WHERE m.learner_id = t.learner_id AND m.programme_id = t.programme_id AND m.joined_on <= make_date(CAST(t.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(t.year AS INTEGER), 1, 1))) AS n FROM old_rows t WHERE (t.a01 + t.a02 + t.a03 + t.a04 + t.a05 + t.a06 + t.a07 + t.a08 + t.a09 + t.a10 + t.a11 + t.a12) > 0) u GROUP BY u.programme_id, u.year, u.came HAVING SUM(u.n) <> 0 ORDER BY u.programme_id, u.year, u.came) AS g (city_id, programme_id, year, came, n) WHERE analytics_membercame.programme_id = g.programme_id AND analytics_membercame.year = g.year AND analytics_membercame.came = g.came;
RETURN NULL;
END;
$$ LANGUAGE plpgsql

-- statement 24
CREATE TRIGGER analytics_mc_summary_del AFTER DELETE ON analytics_participation REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mc_summary_del()

-- statement 25
CREATE OR REPLACE FUNCTION analytics_mc_membership_ins() RETURNS trigger AS $$
BEGIN
IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;
PERFORM pg_advisory_xact_lock(7351, CAST(c.city_id AS INTEGER)) FROM (SELECT DISTINCT city_id FROM new_rows ORDER BY city_id) c;
INSERT INTO analytics_memberjoin (city_id, programme_id, year, joined, leaving) SELECT g.city_id, g.programme_id, g.year, g.joined, g.leaving FROM (SELECT MIN(x.city_id) AS city_id, x.programme_id, x.year, SUM(x.j) AS joined, SUM(x.l) AS leaving FROM (SELECT m.city_id, m.programme_id, CAST(EXTRACT(YEAR FROM m.joined_on) AS INTEGER) AS year, 1 AS j, 0 AS l FROM new_rows m UNION ALL SELECT m.city_id, m.programme_id, CAST(EXTRACT(YEAR FROM m.left_on) AS INTEGER) AS year, 0 AS j, 1 AS l FROM new_rows m WHERE m.left_on IS NOT NULL) x GROUP BY x.programme_id, x.year) g WHERE true ORDER BY g.programme_id, g.year ON CONFLICT (programme_id, year) DO UPDATE SET joined = analytics_memberjoin.joined + EXCLUDED.joined, leaving = analytics_memberjoin.leaving + EXCLUDED.leaving;
INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT g.city_id, g.programme_id, g.year, g.came, g.n FROM (SELECT MIN(s.city_id) AS city_id, s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) AS came, COUNT(*) AS n FROM analytics_participation s JOIN new_rows m ON m.learner_id = s.learner_id AND m.programme_id = s.programme_id AND m.joined_on <= make_date(CAST(s.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(s.year AS INTEGER), 1, 1)) WHERE (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) > 0 GROUP BY s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12)) g WHERE true ORDER BY g.programme_id, g.year, g.came ON CONFLICT (programme_id, year, came) DO UPDATE SET members = analytics_membercame.members + EXCLUDED.members;
RETURN NULL;
END;
$$ LANGUAGE plpgsql

-- statement 26
CREATE TRIGGER analytics_mc_membership_ins AFTER INSERT ON programmes_membership REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mc_membership_ins()

-- statement 27
CREATE OR REPLACE FUNCTION analytics_mc_membership_upd() RETURNS trigger AS $$
BEGIN
IF NOT EXISTS (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.learner_id IS DISTINCT FROM n.learner_id OR o.programme_id IS DISTINCT FROM n.programme_id OR o.joined_on IS DISTINCT FROM n.joined_on OR o.left_on IS DISTINCT FROM n.left_on OR o.city_id IS DISTINCT FROM n.city_id) THEN RETURN NULL; END IF;
PERFORM pg_advisory_xact_lock(7351, CAST(c.city_id AS INTEGER)) FROM (SELECT DISTINCT city_id FROM (SELECT city_id FROM (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.learner_id IS DISTINCT FROM n.learner_id OR o.programme_id IS DISTINCT FROM n.programme_id OR o.joined_on IS DISTINCT FROM n.joined_on OR o.left_on IS DISTINCT FROM n.left_on OR o.city_id IS DISTINCT FROM n.city_id) u UNION ALL SELECT city_id FROM (SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.learner_id IS DISTINCT FROM n.learner_id OR o.programme_id IS DISTINCT FROM n.programme_id OR o.joined_on IS DISTINCT FROM n.joined_on OR o.left_on IS DISTINCT FROM n.left_on OR o.city_id IS DISTINCT FROM n.city_id) w) t ORDER BY city_id) c;
UPDATE analytics_memberjoin SET joined = analytics_memberjoin.joined - g.joined, leaving = analytics_memberjoin.leaving - g.leaving FROM (SELECT MIN(x.city_id) AS city_id, x.programme_id, x.year, SUM(x.j) AS joined, SUM(x.l) AS leaving FROM (SELECT m.city_id, m.programme_id, CAST(EXTRACT(YEAR FROM m.joined_on) AS INTEGER) AS year, 1 AS j, 0 AS l FROM (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.learner_id IS DISTINCT FROM n.learner_id OR o.programme_id IS DISTINCT FROM n.programme_id OR o.joined_on IS DISTINCT FROM n.joined_on OR o.left_on IS DISTINCT FROM n.left_on OR o.city_id IS DISTINCT FROM n.city_id) m UNION ALL SELECT m.city_id, m.programme_id, CAST(EXTRACT(YEAR FROM m.left_on) AS INTEGER) AS year, 0 AS j, 1 AS l FROM (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.learner_id IS DISTINCT FROM n.learner_id OR o.programme_id IS DISTINCT FROM n.programme_id OR o.joined_on IS DISTINCT FROM n.joined_on OR o.left_on IS DISTINCT FROM n.left_on OR o.city_id IS DISTINCT FROM n.city_id) m WHERE m.left_on IS NOT NULL) x GROUP BY x.programme_id, x.year) g WHERE analytics_memberjoin.programme_id = g.programme_id AND analytics_memberjoin.year = g.year;
UPDATE analytics_membercame SET members = analytics_membercame.members - g.n FROM (SELECT MIN(s.city_id) AS city_id, s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) AS came, COUNT(*) AS n FROM analytics_participation s JOIN (SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE o.learner_id IS DISTINCT FROM n.learner_id OR o.programme_id IS DISTINCT FROM n.programme_id OR o.joined_on IS DISTINCT FROM n.joined_on OR o.left_on IS DISTINCT FROM n.left_on OR o.city_id IS DISTINCT FROM n.city_id) m ON m.learner_id = s.learner_id AND m.programme_id = s.programme_id AND m.joined_on <= make_date(CAST(s.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(s.year AS INTEGER), 1, 1)) WHERE (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) > 0 GROUP BY s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12)) g WHERE analytics_membercame.programme_id = g.programme_id AND analytics_membercame.year = g.year AND analytics_membercame.came = g.came;
INSERT INTO analytics_memberjoin (city_id, programme_id, year, joined, leaving) SELECT g.city_id, g.programme_id, g.year, g.joined, g.leaving FROM (SELECT MIN(x.city_id) AS city_id, x.programme_id, x.year, SUM(x.j) AS joined, SUM(x.l) AS leaving FROM (SELECT m.city_id, m.programme_id, CAST(EXTRACT(YEAR FROM m.joined_on) AS INTEGER) AS year, 1 AS j, 0 AS l FROM (SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.learner_id IS DISTINCT FROM n.learner_id OR o.programme_id IS DISTINCT FROM n.programme_id OR o.joined_on IS DISTINCT FROM n.joined_on OR o.left_on IS DISTINCT FROM n.left_on OR o.city_id IS DISTINCT FROM n.city_id) m UNION ALL SELECT m.city_id, m.programme_id, CAST(EXTRACT(YEAR FROM m.left_on) AS INTEGER) AS year, 0 AS j, 1 AS l FROM (SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.learner_id IS DISTINCT FROM n.learner_id OR o.programme_id IS DISTINCT FROM n.programme_id OR o.joined_on IS DISTINCT FROM n.joined_on OR o.left_on IS DISTINCT FROM n.left_on OR o.city_id IS DISTINCT FROM n.city_id) m WHERE m.left_on IS NOT NULL) x GROUP BY x.programme_id, x.year) g WHERE true ORDER BY g.programme_id, g.year ON CONFLICT (programme_id, year) DO UPDATE SET joined = analytics_memberjoin.joined + EXCLUDED.joined, leaving = analytics_memberjoin.leaving + EXCLUDED.leaving;
INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT g.city_id, g.programme_id, g.year, g.came, g.n FROM (SELECT MIN(s.city_id) AS city_id, s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) AS came, COUNT(*) AS n FROM analytics_participation s JOIN (SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.learner_id IS DISTINCT FROM n.learner_id OR o.programme_id IS DISTINCT FROM n.programme_id OR o.joined_on IS DISTINCT FROM n.joined_on OR o.left_on IS DISTINCT FROM n.left_on OR o.city_id IS DISTINCT FROM n.city_id) m ON m.learner_id = s.learner_id AND m.programme_id = s.programme_id AND m.joined_on <= make_date(CAST(s.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(s.year AS INTEGER), 1, 1)) WHERE (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) > 0 GROUP BY s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12)) g WHERE true ORDER BY g.programme_id, g.year, g.came ON CONFLICT (programme_id, year, came) DO UPDATE SET members = analytics_membercame.members + EXCLUDED.members;
RETURN NULL;
END;
$$ LANGUAGE plpgsql

-- statement 28
CREATE TRIGGER analytics_mc_membership_upd AFTER UPDATE ON programmes_membership REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mc_membership_upd()

-- statement 29
CREATE OR REPLACE FUNCTION analytics_mc_membership_del() RETURNS trigger AS $$
BEGIN
IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
PERFORM pg_advisory_xact_lock(7351, CAST(c.city_id AS INTEGER)) FROM (SELECT DISTINCT city_id FROM old_rows ORDER BY city_id) c;
UPDATE analytics_memberjoin SET joined = analytics_memberjoin.joined - g.joined, leaving = analytics_memberjoin.leaving - g.leaving FROM (SELECT MIN(x.city_id) AS city_id, x.programme_id, x.year, SUM(x.j) AS joined, SUM(x.l) AS leaving FROM (SELECT m.city_id, m.programme_id, CAST(EXTRACT(YEAR FROM m.joined_on) AS INTEGER) AS year, 1 AS j, 0 AS l FROM old_rows m UNION ALL SELECT m.city_id, m.programme_id, CAST(EXTRACT(YEAR FROM m.left_on) AS INTEGER) AS year, 0 AS j, 1 AS l FROM old_rows m WHERE m.left_on IS NOT NULL) x GROUP BY x.programme_id, x.year) g WHERE analytics_memberjoin.programme_id = g.programme_id AND analytics_memberjoin.year = g.year;
UPDATE analytics_membercame SET members = analytics_membercame.members - g.n FROM (SELECT MIN(s.city_id) AS city_id, s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) AS came, COUNT(*) AS n FROM analytics_participation s JOIN old_rows m ON m.learner_id = s.learner_id AND m.programme_id = s.programme_id AND m.joined_on <= make_date(CAST(s.year AS INTEGER), 12, 31) AND (m.left_on IS NULL OR m.left_on >= make_date(CAST(s.year AS INTEGER), 1, 1)) WHERE (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) > 0 GROUP BY s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12)) g WHERE analytics_membercame.programme_id = g.programme_id AND analytics_membercame.year = g.year AND analytics_membercame.came = g.came;
RETURN NULL;
END;
$$ LANGUAGE plpgsql

-- statement 30
CREATE TRIGGER analytics_mc_membership_del AFTER DELETE ON programmes_membership REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION analytics_mc_membership_del()
