-- 0006_ingest.sql — derivation of item facts, cheaper for the server
-- (issue 9); the facts written are the same, row for row.
--
-- citizenship(nat, year) is a SQL function that PostgreSQL inlines: the
-- CASE with its EXISTS subquery then lands in the join's projection and
-- runs once per fact row, not once per distinct (nationality, year) as
-- the CTE "c" of 0002 meant: 1.9 M index probes of eu_member for a million
-- convictions, 14 s of the derivation's 22 s (EXPLAIN ANALYZE).  Marked
-- MATERIALIZED, "c" is computed once, a few hundred calls.
--
-- Conviction facts were ordered by one sort of all 1.9 M fact rows (five
-- items per group) on (item, year), spilling ~200 MB to disk at the
-- default work_mem.  Now the groups joined with their citizenship are
-- sorted by year once (385 k rows for a million convictions, in memory),
-- and the five items are written one after the other: the items are the
-- outer side of a nested loop that the LATERAL subquery forces (OFFSET 0
-- keeps it from being flattened), each a pass over the sorted groups.
-- The facts land item by item, year by year, as before.

CREATE OR REPLACE FUNCTION derive_convictions(d bigint) RETURNS void
LANGUAGE plpgsql SET work_mem = '256MB' AS $$
BEGIN
    WITH g AS MATERIALIZED (SELECT * FROM derive_convictions_groups(d)),
    c AS MATERIALIZED (
        SELECT p.nationality, p.y, citizenship(p.nationality, p.y) AS citizenship
        FROM (SELECT DISTINCT g.nationality, g.y FROM g) p),
    gc AS MATERIALIZED (
        SELECT g.*, c.citizenship
        FROM g JOIN c ON coalesce(c.nationality, '') = coalesce(g.nationality, '') AND c.y = g.y
        ORDER BY g.y)
    INSERT INTO item_fact (delivery_id, scope, dyear, item, year, offence, form,
                           sex, citizenship, nationality, district, sentence_band,
                           suspension, value, n_records, n_unknown)
    SELECT d, '', x.y, it.item, x.y, x.offence, x.form, x.sex, x.citizenship,
           coalesce(x.nationality, 'UNK'), x.district, x.band, x.susp, x.v, x.n, x.n - x.k
    FROM (VALUES (1, 'conviction.confiscations'), (2, 'conviction.fines'),
                 (3, 'conviction.persons'), (4, 'conviction.prison'),
                 (5, 'conviction.prison_suspended')) AS it(ord, item)
    CROSS JOIN LATERAL (
        SELECT gc.*,
               CASE it.ord WHEN 1 THEN gc.c WHEN 2 THEN gc.f WHEN 3 THEN gc.n WHEN 4 THEN gc.p ELSE gc.s END AS v,
               CASE it.ord WHEN 1 THEN gc.ck WHEN 2 THEN gc.fk WHEN 3 THEN gc.n WHEN 4 THEN gc.pk ELSE gc.sk END AS k
        FROM gc OFFSET 0) x;

    UPDATE delivery SET
        reference_date = s.ref, lag_p95_days = s.lag
    FROM (SELECT max(h.newest) AS ref,
                 min(h.lag) FILTER (WHERE h.cum >= ceil(0.95::float8 * h.total::float8)) AS lag
          FROM (SELECT l.lag, l.newest, sum(l.n) OVER (ORDER BY l.lag) AS cum, sum(l.n) OVER () AS total
                FROM derive_convictions_lags(d) l) h) s
    WHERE id = d;
END $$;

CREATE OR REPLACE FUNCTION derive_shelters(d bigint) RETURNS void
LANGUAGE sql AS $$
    WITH f AS (
        SELECT g.*, x.item, x.y
        FROM derive_shelters_groups(d) g
        CROSS JOIN LATERAL (VALUES ('shelter.referrals', g.dy),
                                   ('shelter.victims_admitted', g.yad)) AS x(item, y)
        WHERE x.y IS NOT NULL),
    c AS MATERIALIZED (
        SELECT p.nationality, p.y, citizenship(p.nationality, p.y) AS citizenship
        FROM (SELECT DISTINCT f.nationality, f.y FROM f) p)
    INSERT INTO item_fact (delivery_id, scope, dyear, item, year, centre, referrer,
                           sex, age_group, citizenship, nationality, form,
                           value, n_records, n_unknown)
    SELECT d, f.centre, f.dy, f.item, f.y, f.centre, f.referrer, f.sex, f.age_group,
           c.citizenship, coalesce(f.nationality, 'UNK'), f.form, f.n, f.n, 0
    FROM f JOIN c ON coalesce(c.nationality, '') = coalesce(f.nationality, '') AND c.y = f.y
    ORDER BY f.item, f.y
$$;

CREATE OR REPLACE FUNCTION derive_immigration(d bigint) RETURNS void
LANGUAGE sql AS $$
    WITH g AS (SELECT * FROM derive_immigration_groups(d)),
    c AS MATERIALIZED (
        SELECT p.nationality, p.y, citizenship(p.nationality, p.y) AS citizenship
        FROM (SELECT DISTINCT g.nationality, g.y FROM g) p)
    INSERT INTO item_fact (delivery_id, scope, dyear, item, year, offence, sex,
                           age_group, citizenship, nationality, document,
                           value, n_records, n_unknown)
    SELECT d, '', g.y, 'immigration.documents', g.y, g.procedure, g.sex, g.age_group,
           c.citizenship, coalesce(g.nationality, 'UNK'), g.document_type, g.n, g.n, 0
    FROM g JOIN c ON coalesce(c.nationality, '') = coalesce(g.nationality, '') AND c.y = g.y
    ORDER BY g.y
$$;
