-- analytics 0003: the member rollups' install statements on sqlite, frozen from trigger_sql.members on 2026-12-04.
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

-- statement 7
DELETE FROM analytics_memberjoin

-- statement 8
DELETE FROM analytics_membercame

-- statement 9
INSERT INTO analytics_memberjoin (city_id, programme_id, year, joined, leaving) SELECT g.city_id, g.programme_id, g.year, g.joined, g.leaving FROM (SELECT MIN(x.city_id) AS city_id, x.programme_id, x.year, SUM(x.j) AS joined, SUM(x.l) AS leaving FROM (SELECT m.city_id, m.programme_id, CAST(strftime('%Y', m.joined_on) AS INTEGER) AS year, 1 AS j, 0 AS l FROM programmes_membership m UNION ALL SELECT m.city_id, m.programme_id, CAST(strftime('%Y', m.left_on) AS INTEGER) AS year, 0 AS j, 1 AS l FROM programmes_membership m WHERE m.left_on IS NOT NULL) x GROUP BY x.programme_id, x.year) g

-- statement 10
INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT g.city_id, g.programme_id, g.year, g.came, g.n FROM (SELECT MIN(s.city_id) AS city_id, s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) AS came, COUNT(*) AS n FROM analytics_participation s JOIN programmes_membership m ON m.learner_id = s.learner_id AND m.programme_id = s.programme_id AND m.joined_on <= printf('%04d-12-31', s.year) AND (m.left_on IS NULL OR m.left_on >= printf('%04d-01-01', s.year)) WHERE (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) > 0 GROUP BY s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12)) g

-- statement 11
CREATE TRIGGER analytics_mc_summary_ins AFTER INSERT ON analytics_participation BEGIN INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT NEW.city_id, NEW.programme_id, NEW.year, (NEW.a01 + NEW.a02 + NEW.a03 + NEW.a04 + NEW.a05 + NEW.a06 + NEW.a07 + NEW.a08 + NEW.a09 + NEW.a10 + NEW.a11 + NEW.a12), 1 * (SELECT COUNT(*) FROM programmes_membership m WHERE m.learner_id = NEW.learner_id AND m.programme_id = NEW.programme_id AND m.joined_on <= printf('%04d-12-31', NEW.year) AND (m.left_on IS NULL OR m.left_on >= printf('%04d-01-01', NEW.year))) WHERE (NEW.a01 + NEW.a02 + NEW.a03 + NEW.a04 + NEW.a05 + NEW.a06 + NEW.a07 + NEW.a08 + NEW.a09 + NEW.a10 + NEW.a11 + NEW.a12) > 0 ON CONFLICT (programme_id, year, came) DO UPDATE SET members = members + excluded.members; END

-- statement 12
CREATE TRIGGER analytics_mc_summary_upd AFTER UPDATE ON analytics_participation BEGIN UPDATE analytics_membercame SET members = members - (SELECT COUNT(*) FROM programmes_membership m WHERE m.learner_id = OLD.learner_id AND m.programme_id = OLD.programme_id AND m.joined_on <= printf('%04d-12-31', OLD.year) AND (m.left_on IS NULL OR m.left_on >= printf('%04d-01-01', OLD.year))) WHERE programme_id = OLD.programme_id AND year = OLD.year AND came = (OLD.a01 + OLD.a02 + OLD.a03 + OLD.a04 + OLD.a05 + OLD.a06 + OLD.a07 + OLD.a08 + OLD.a09 + OLD.a10 + OLD.a11 + OLD.a12) AND (OLD.a01 + OLD.a02 + OLD.a03 + OLD.a04 + OLD.a05 + OLD.a06 + OLD.a07 + OLD.a08 + OLD.a09 + OLD.a10 + OLD.a11 + OLD.a12) > 0; INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT NEW.city_id, NEW.programme_id, NEW.year, (NEW.a01 + NEW.a02 + NEW.a03 + NEW.a04 + NEW.a05 + NEW.a06 + NEW.a07 + NEW.a08 + NEW.a09 + NEW.a10 + NEW.a11 + NEW.a12), 1 * (SELECT COUNT(*) FROM programmes_membership m WHERE m.learner_id = NEW.learner_id AND m.programme_id = NEW.programme_id AND m.joined_on <= printf('%04d-12-31', NEW.year) AND (m.left_on IS NULL OR m.left_on >= printf('%04d-01-01', NEW.year))) WHERE (NEW.a01 + NEW.a02 + NEW.a03 + NEW.a04 + NEW.a05 + NEW.a06 + NEW.a07 + NEW.a08 + NEW.a09 + NEW.a10 + NEW.a11 + NEW.a12) > 0 ON CONFLICT (programme_id, year, came) DO UPDATE SET members = members + excluded.members; END

-- statement 13
CREATE TRIGGER analytics_mc_summary_del AFTER DELETE ON analytics_participation BEGIN UPDATE analytics_membercame SET members = members - (SELECT COUNT(*) FROM programmes_membership m WHERE m.learner_id = OLD.learner_id AND m.programme_id = OLD.programme_id AND m.joined_on <= printf('%04d-12-31', OLD.year) AND (m.left_on IS NULL OR m.left_on >= printf('%04d-01-01', OLD.year))) WHERE programme_id = OLD.programme_id AND year = OLD.year AND came = (OLD.a01 + OLD.a02 + OLD.a03 + OLD.a04 + OLD.a05 + OLD.a06 + OLD.a07 + OLD.a08 + OLD.a09 + OLD.a10 + OLD.a11 + OLD.a12) AND (OLD.a01 + OLD.a02 + OLD.a03 + OLD.a04 + OLD.a05 + OLD.a06 + OLD.a07 + OLD.a08 + OLD.a09 + OLD.a10 + OLD.a11 + OLD.a12) > 0; END

-- statement 14
CREATE TRIGGER analytics_mc_membership_ins AFTER INSERT ON programmes_membership BEGIN INSERT INTO analytics_memberjoin (city_id, programme_id, year, joined, leaving) VALUES (NEW.city_id, NEW.programme_id, CAST(strftime('%Y', NEW.joined_on) AS INTEGER), 1, 0) ON CONFLICT (programme_id, year) DO UPDATE SET joined = joined + excluded.joined; INSERT INTO analytics_memberjoin (city_id, programme_id, year, joined, leaving) SELECT NEW.city_id, NEW.programme_id, CAST(strftime('%Y', NEW.left_on) AS INTEGER), 0, 1 WHERE NEW.left_on IS NOT NULL ON CONFLICT (programme_id, year) DO UPDATE SET leaving = leaving + excluded.leaving; INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT s.city_id, s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12), 1 FROM analytics_participation s WHERE s.learner_id = NEW.learner_id AND s.programme_id = NEW.programme_id AND (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) > 0 AND NEW.joined_on <= printf('%04d-12-31', s.year) AND (NEW.left_on IS NULL OR NEW.left_on >= printf('%04d-01-01', s.year)) ORDER BY s.programme_id, s.year ON CONFLICT (programme_id, year, came) DO UPDATE SET members = members + excluded.members; END

-- statement 15
CREATE TRIGGER analytics_mc_membership_upd AFTER UPDATE ON programmes_membership WHEN NEW.learner_id IS NOT OLD.learner_id OR NEW.programme_id IS NOT OLD.programme_id OR NEW.joined_on IS NOT OLD.joined_on OR NEW.left_on IS NOT OLD.left_on OR NEW.city_id IS NOT OLD.city_id BEGIN UPDATE analytics_memberjoin SET joined = joined - 1 WHERE programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.joined_on) AS INTEGER); UPDATE analytics_memberjoin SET leaving = leaving - 1 WHERE OLD.left_on IS NOT NULL AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.left_on) AS INTEGER); UPDATE analytics_membercame SET members = members - 1 WHERE programme_id = OLD.programme_id AND (year, came) IN (SELECT s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) FROM analytics_participation s WHERE s.learner_id = OLD.learner_id AND s.programme_id = OLD.programme_id AND (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) > 0 AND OLD.joined_on <= printf('%04d-12-31', s.year) AND (OLD.left_on IS NULL OR OLD.left_on >= printf('%04d-01-01', s.year))); INSERT INTO analytics_memberjoin (city_id, programme_id, year, joined, leaving) VALUES (NEW.city_id, NEW.programme_id, CAST(strftime('%Y', NEW.joined_on) AS INTEGER), 1, 0) ON CONFLICT (programme_id, year) DO UPDATE SET joined = joined + excluded.joined; INSERT INTO analytics_memberjoin (city_id, programme_id, year, joined, leaving) SELECT NEW.city_id, NEW.programme_id, CAST(strftime('%Y', NEW.left_on) AS INTEGER), 0, 1 WHERE NEW.left_on IS NOT NULL ON CONFLICT (programme_id, year) DO UPDATE SET leaving = leaving + excluded.leaving; INSERT INTO analytics_membercame (city_id, programme_id, year, came, members) SELECT s.city_id, s.programme_id, s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12), 1 FROM analytics_participation s WHERE s.learner_id = NEW.learner_id AND s.programme_id = NEW.programme_id AND (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) > 0 AND NEW.joined_on <= printf('%04d-12-31', s.year) AND (NEW.left_on IS NULL OR NEW.left_on >= printf('%04d-01-01', s.year)) ORDER BY s.programme_id, s.year ON CONFLICT (programme_id, year, came) DO UPDATE SET members = members + excluded.members; END

-- statement 16
CREATE TRIGGER analytics_mc_membership_del AFTER DELETE ON programmes_membership BEGIN UPDATE analytics_memberjoin SET joined = joined - 1 WHERE programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.joined_on) AS INTEGER); UPDATE analytics_memberjoin SET leaving = leaving - 1 WHERE OLD.left_on IS NOT NULL AND programme_id = OLD.programme_id AND year = CAST(strftime('%Y', OLD.left_on) AS INTEGER); UPDATE analytics_membercame SET members = members - 1 WHERE programme_id = OLD.programme_id AND (year, came) IN (SELECT s.year, (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) FROM analytics_participation s WHERE s.learner_id = OLD.learner_id AND s.programme_id = OLD.programme_id AND (s.a01 + s.a02 + s.a03 + s.a04 + s.a05 + s.a06 + s.a07 + s.a08 + s.a09 + s.a10 + s.a11 + s.a12) > 0 AND OLD.joined_on <= printf('%04d-12-31', s.year) AND (OLD.left_on IS NULL OR OLD.left_on >= printf('%04d-01-01', s.year))); END
