-- 0002_records.sql — one record table per service, holding exactly what
-- the service sent (validated, codes standardised, references replaced by
-- a keyed hash), and the derivation of item facts from them.  Record
-- tables are private to the ETL and this derivation: every output reads
-- item_fact only.  Columns are named after the fields of etl/specs/*.spec;
-- NULL means "not known".  BRIN on delivery_id: records arrive in delivery
-- order, so the index is tiny and nearly free to keep up during COPY.

CREATE TABLE police_record (
    delivery_id bigint NOT NULL, line_no bigint NOT NULL, ref_hash bytea NOT NULL,
    registration_date date NOT NULL, district text NOT NULL, offence text NOT NULL,
    exploitation_form text, suspects integer, victims integer
);
CREATE TABLE prosecution_record (
    delivery_id bigint NOT NULL, line_no bigint NOT NULL, ref_hash bytea NOT NULL,
    entry_date date NOT NULL, district text NOT NULL, offence text NOT NULL,
    exploitation_form text, defendants integer, decision text NOT NULL,
    decision_date date
);
CREATE TABLE inspectorates_record (
    delivery_id bigint NOT NULL, line_no bigint NOT NULL, ref_hash bytea NOT NULL,
    year integer NOT NULL, inspectorate text NOT NULL, sector text NOT NULL,
    inspections bigint NOT NULL, thb_reports bigint NOT NULL,
    victims_referred bigint NOT NULL
);
CREATE TABLE shelters_record (
    delivery_id bigint NOT NULL, line_no bigint NOT NULL, ref_hash bytea NOT NULL,
    centre text NOT NULL, referral_date date NOT NULL, referred_by text, sex text,
    age integer, nationality text, exploitation_form text, admitted boolean NOT NULL,
    admission_date date
);
CREATE TABLE convictions_record (
    delivery_id bigint NOT NULL, line_no bigint NOT NULL, ref_hash bytea NOT NULL,
    judgment_date date NOT NULL, registration_date date NOT NULL,
    court_district text NOT NULL, offence text NOT NULL, exploitation_form text,
    sex text, nationality text, prison_months integer, suspension text,
    suspended_months integer, fine_eur numeric(14,2), confiscation boolean
);
CREATE TABLE immigration_record (
    delivery_id bigint NOT NULL, line_no bigint NOT NULL, ref_hash bytea NOT NULL,
    issue_date date NOT NULL, document_type text NOT NULL, procedure text NOT NULL,
    sex text, nationality text, minor boolean
);
CREATE INDEX ON police_record USING brin (delivery_id);
CREATE INDEX ON prosecution_record USING brin (delivery_id);
CREATE INDEX ON inspectorates_record USING brin (delivery_id);
CREATE INDEX ON shelters_record USING brin (delivery_id);
CREATE INDEX ON convictions_record USING brin (delivery_id);
CREATE INDEX ON immigration_record USING brin (delivery_id);

-- Derived dimensions -------------------------------------------------------
-- PARALLEL SAFE: the derivations' grouping passes call them, and a single
-- function not so marked keeps a whole query on one core.

CREATE FUNCTION citizenship(nat text, yr int) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN nat IS NULL THEN 'UNK'
        WHEN nat = 'BE' THEN 'NAT'
        WHEN EXISTS (SELECT 1 FROM eu_member m WHERE m.country = nat
                     AND m.from_year <= yr AND (m.to_year IS NULL OR m.to_year >= yr))
            THEN 'EU'
        ELSE 'NONEU' END
$$;

-- Prison-term bands, lower bound included; 'NA' = no prison term.
CREATE FUNCTION sentence_band(months int) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN months IS NULL THEN 'UNK'
        WHEN months = 0 THEN 'NA'
        WHEN months < 12 THEN 'LT12'
        WHEN months < 36 THEN '12_36'
        WHEN months < 60 THEN '36_60'
        WHEN months < 120 THEN '60_120'
        ELSE 'GE120' END
$$;

CREATE FUNCTION age_group(age int) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN age IS NULL THEN 'UNK' WHEN age < 18 THEN 'MINOR' ELSE 'ADULT' END
$$;

CREATE FUNCTION yr(d date) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT extract(year FROM d)::int $$;

-- Derivations: one function per service, items per ITEMS.md ------------
-- Each aggregates the delivery's records once by every dimension (with
-- the known count of each value beside its sum), then unfolds the small
-- grouped result into one fact row per item: far cheaper than one pass
-- per item over millions of records.
--
-- The grouping pass reads every record of the delivery, so it is a RETURN
-- QUERY in a PL/pgSQL function of its own (SERVICE_groups): the one place
-- where PostgreSQL 15 plans it in parallel; under INSERT ... SELECT, or in
-- a LANGUAGE sql function, it would run on one core.  Its settings let the
-- planner choose parallel hashing whenever the delivery is large enough to
-- be scanned in parallel (min_parallel_table_scan_size), with work_mem
-- raised so the grouping stays a hash in memory.  #variable_conflict: the
-- output columns share names with record columns, and the columns win.
--
-- Facts are written item by item, year by year (ORDER BY): a query reads
-- one item over some years, and finds its rows on a fifth of the pages
-- (conviction facts: five items per group), and the (item, year) index
-- takes them in order.
--
-- A dimension computed by a function of the group (citizenship) is
-- computed once per distinct argument pair, not once per fact row: a SQL
-- function with a subquery is not inlined, and a million convictions make
-- two million fact rows but only some hundreds of (nationality, year).

CREATE FUNCTION derive_police_groups(d bigint)
RETURNS TABLE (y int, offence text, form text, district text,
               n bigint, s bigint, sk bigint, v bigint, vk bigint)
LANGUAGE plpgsql STABLE
SET work_mem = '256MB' SET enable_sort = off SET parallel_setup_cost = 0 SET parallel_tuple_cost = 0 AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT yr(r.registration_date), r.offence, coalesce(r.exploitation_form, 'UNK'), r.district,
           count(*), sum(r.suspects), count(r.suspects), sum(r.victims), count(r.victims)
    FROM police_record r WHERE r.delivery_id = d
    GROUP BY 1, 2, 3, 4;
END $$;

CREATE FUNCTION derive_police(d bigint) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO item_fact (delivery_id, scope, dyear, item, year, offence, form,
                           district, value, n_records, n_unknown)
    SELECT d, '', g.y, x.item, g.y, g.offence, g.form, g.district, x.v, g.n, g.n - x.k
    FROM derive_police_groups(d) g
    CROSS JOIN LATERAL (VALUES ('police.facts', g.n, g.n),
                               ('police.suspects', g.s, g.sk),
                               ('police.victims', g.v, g.vk)) AS x(item, v, k)
    ORDER BY x.item, g.y
$$;

CREATE FUNCTION derive_prosecution_groups(d bigint)
RETURNS TABLE (dy int, ydec int, offence text, form text, district text, decision text,
               n bigint, s bigint, sk bigint)
LANGUAGE plpgsql STABLE
SET work_mem = '256MB' SET enable_sort = off SET parallel_setup_cost = 0 SET parallel_tuple_cost = 0 AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT yr(r.entry_date), yr(r.decision_date), r.offence,
           coalesce(r.exploitation_form, 'UNK'), r.district, r.decision,
           count(*), sum(r.defendants), count(r.defendants)
    FROM prosecution_record r WHERE r.delivery_id = d
    GROUP BY 1, 2, 3, 4, 5, 6;
END $$;

CREATE FUNCTION derive_prosecution(d bigint) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO item_fact (delivery_id, scope, dyear, item, year, offence, form,
                           district, decision, value, n_records, n_unknown)
    SELECT d, '', g.dy, x.item, x.y, g.offence, g.form, g.district, g.decision,
           x.v, g.n, g.n - x.k
    FROM derive_prosecution_groups(d) g CROSS JOIN LATERAL (VALUES
        ('prosecution.cases_in', g.dy, g.n, g.n, true),
        ('prosecution.cases_prosecuted', g.ydec, g.n, g.n, g.decision IN ('SUMMONS', 'REFERRAL')),
        ('prosecution.defendants_prosecuted', g.ydec, g.s, g.sk, g.decision IN ('SUMMONS', 'REFERRAL')),
        ('prosecution.cases_dismissed', g.ydec, g.n, g.n, g.decision = 'DISMISSED')
        ) AS x(item, y, v, k, keep)
    WHERE x.keep AND x.y IS NOT NULL
    ORDER BY x.item, x.y
$$;

-- Inspectorates send yearly totals, not records: a few rows per delivery.
CREATE FUNCTION derive_inspectorates(d bigint) RETURNS void
LANGUAGE sql AS $$
    WITH g AS (
        SELECT r.year AS y, r.inspectorate, r.sector, count(*) AS n,
               sum(r.inspections) AS i, sum(r.thb_reports) AS t, sum(r.victims_referred) AS v
        FROM inspectorates_record r WHERE r.delivery_id = d
        GROUP BY 1, 2, 3)
    INSERT INTO item_fact (delivery_id, scope, dyear, item, year, inspectorate,
                           sector, value, n_records, n_unknown)
    SELECT d, '', g.y, x.item, g.y, g.inspectorate, g.sector, x.v, g.n, 0
    FROM g CROSS JOIN LATERAL (VALUES ('inspection.inspections', g.i),
                                      ('inspection.thb_reports', g.t),
                                      ('inspection.victims_referred', g.v)) AS x(item, v)
$$;

CREATE FUNCTION derive_shelters_groups(d bigint)
RETURNS TABLE (centre text, dy int, yad int, referrer text, sex text, age_group text,
               nationality text, form text, n bigint)
LANGUAGE plpgsql STABLE
SET work_mem = '256MB' SET enable_sort = off SET parallel_setup_cost = 0 SET parallel_tuple_cost = 0 AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT r.centre, yr(r.referral_date),
           CASE WHEN r.admitted THEN yr(r.admission_date) END,
           coalesce(r.referred_by, 'UNK'), coalesce(r.sex, 'UNK'),
           age_group(r.age), r.nationality,
           coalesce(r.exploitation_form, 'UNK'), count(*)
    FROM shelters_record r WHERE r.delivery_id = d
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
END $$;

CREATE FUNCTION derive_shelters(d bigint) RETURNS void
LANGUAGE sql AS $$
    WITH f AS (
        SELECT g.*, x.item, x.y
        FROM derive_shelters_groups(d) g
        CROSS JOIN LATERAL (VALUES ('shelter.referrals', g.dy),
                                   ('shelter.victims_admitted', g.yad)) AS x(item, y)
        WHERE x.y IS NOT NULL),
    c AS (
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

CREATE FUNCTION derive_convictions_groups(d bigint)
RETURNS TABLE (y int, offence text, form text, sex text, nationality text, district text,
               band text, susp text, n bigint, p bigint, pk bigint, s bigint, sk bigint,
               f bigint, fk bigint, c bigint, ck bigint)
LANGUAGE plpgsql STABLE
SET work_mem = '256MB' SET enable_sort = off SET parallel_setup_cost = 0 SET parallel_tuple_cost = 0 AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH v AS (
        SELECT yr(r.judgment_date) AS y, r.offence,
               coalesce(r.exploitation_form, 'UNK') AS form, coalesce(r.sex, 'UNK') AS sex,
               r.nationality, r.court_district AS district,
               sentence_band(r.prison_months) AS band,
               CASE WHEN r.prison_months = 0 THEN 'NA' ELSE coalesce(r.suspension, 'UNK') END AS susp,
               CASE WHEN r.prison_months IS NULL THEN NULL
                    WHEN r.prison_months > 0 THEN 1 ELSE 0 END AS prison,
               CASE WHEN r.prison_months = 0 THEN 0
                    WHEN r.prison_months IS NULL OR r.suspension IS NULL THEN NULL
                    WHEN r.suspension IN ('PARTIAL', 'FULL') THEN 1 ELSE 0 END AS suspended,
               CASE WHEN r.fine_eur IS NULL THEN NULL WHEN r.fine_eur > 0 THEN 1 ELSE 0 END AS fined,
               CASE WHEN r.confiscation IS NULL THEN NULL WHEN r.confiscation THEN 1 ELSE 0 END AS conf
        FROM convictions_record r WHERE r.delivery_id = d)
    SELECT v.y, v.offence, v.form, v.sex, v.nationality, v.district, v.band, v.susp, count(*),
           sum(v.prison), count(v.prison), sum(v.suspended), count(v.suspended),
           sum(v.fined), count(v.fined), sum(v.conf), count(v.conf)
    FROM v GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
END $$;

-- Registration delay (days) of a delivery's bulletins, counted per value,
-- with the newest registration date among them.
CREATE FUNCTION derive_convictions_lags(d bigint)
RETURNS TABLE (lag int, n bigint, newest date)
LANGUAGE plpgsql STABLE
SET work_mem = '256MB' SET enable_sort = off SET parallel_setup_cost = 0 SET parallel_tuple_cost = 0 AS $$
BEGIN
    RETURN QUERY
    SELECT r.registration_date - r.judgment_date, count(*), max(r.registration_date)
    FROM convictions_record r WHERE r.delivery_id = d
    GROUP BY 1;
END $$;

CREATE FUNCTION derive_convictions(d bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    WITH g AS (SELECT * FROM derive_convictions_groups(d)),
    c AS (
        SELECT p.nationality, p.y, citizenship(p.nationality, p.y) AS citizenship
        FROM (SELECT DISTINCT g.nationality, g.y FROM g) p)
    INSERT INTO item_fact (delivery_id, scope, dyear, item, year, offence, form,
                           sex, citizenship, nationality, district, sentence_band,
                           suspension, value, n_records, n_unknown)
    SELECT d, '', g.y, x.item, g.y, g.offence, g.form, g.sex, c.citizenship,
           coalesce(g.nationality, 'UNK'), g.district, g.band, g.susp, x.v, g.n, g.n - x.k
    FROM g JOIN c ON coalesce(c.nationality, '') = coalesce(g.nationality, '') AND c.y = g.y
    CROSS JOIN LATERAL (VALUES ('conviction.persons', g.n, g.n),
                               ('conviction.prison', g.p, g.pk),
                               ('conviction.prison_suspended', g.s, g.sk),
                               ('conviction.fines', g.f, g.fk),
                               ('conviction.confiscations', g.c, g.ck)) AS x(item, v, k)
    ORDER BY x.item, g.y;

    -- Registration delay of this delivery: the base of the provisional
    -- rule.  lag_p95_days is percentile_disc(0.95) of the delays, taken
    -- from their counts (no sort of a million values): the smallest delay
    -- whose cumulative count reaches ceil(0.95 * N), as percentile_disc
    -- does.
    UPDATE delivery SET
        reference_date = s.ref, lag_p95_days = s.lag
    FROM (SELECT max(h.newest) AS ref,
                 min(h.lag) FILTER (WHERE h.cum >= ceil(0.95::float8 * h.total::float8)) AS lag
          FROM (SELECT l.lag, l.newest, sum(l.n) OVER (ORDER BY l.lag) AS cum, sum(l.n) OVER () AS total
                FROM derive_convictions_lags(d) l) h) s
    WHERE id = d;
END $$;

CREATE FUNCTION derive_immigration_groups(d bigint)
RETURNS TABLE (y int, procedure text, sex text, age_group text, nationality text,
               document_type text, n bigint)
LANGUAGE plpgsql STABLE
SET work_mem = '256MB' SET enable_sort = off SET parallel_setup_cost = 0 SET parallel_tuple_cost = 0 AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT yr(r.issue_date), r.procedure, coalesce(r.sex, 'UNK'),
           CASE WHEN r.minor IS NULL THEN 'UNK' WHEN r.minor THEN 'MINOR' ELSE 'ADULT' END,
           r.nationality, r.document_type, count(*)
    FROM immigration_record r WHERE r.delivery_id = d
    GROUP BY 1, 2, 3, 4, 5, 6;
END $$;

CREATE FUNCTION derive_immigration(d bigint) RETURNS void
LANGUAGE sql AS $$
    WITH g AS (SELECT * FROM derive_immigration_groups(d)),
    c AS (
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

CREATE FUNCTION derive_items(d bigint) RETURNS void LANGUAGE plpgsql
SET default_statistics_target = 1 AS $$
DECLARE s text; n bigint;
BEGIN
    SELECT service, rows INTO s, n FROM delivery WHERE id = d;
    DELETE FROM item_fact WHERE delivery_id = d;
    -- A large delivery copied in by this very transaction is unknown to
    -- the planner's statistics, which would plan its grouping for a few
    -- rows: on one core, hashing a million rows in the leader.  A glance
    -- at delivery_id (ANALYZE of that column on a 300-row sample, a few
    -- milliseconds) tells the planner how large it is, and the grouping
    -- runs in parallel.  Below 100,000 rows it does not matter.
    IF n >= 100000 THEN
        EXECUTE format('ANALYZE %I (delivery_id)', s || '_record');
    END IF;
    -- s comes from our own delivery table and names one of the functions
    -- above; format(%I) quotes it all the same.
    EXECUTE format('SELECT %I($1)', 'derive_' || s) USING d;
END $$;

CREATE FUNCTION rederive_all() RETURNS void LANGUAGE plpgsql AS $$
DECLARE r record;
BEGIN
    FOR r IN SELECT id FROM delivery ORDER BY id LOOP
        PERFORM derive_items(r.id);
    END LOOP;
END $$;

-- Years still receiving records (flag p).  Rule 'registration_lag': a
-- judgment year Y is provisional while the newest registration date in the
-- current data (R) is earlier than 31 December of Y plus the 95th
-- percentile registration delay (L, in days, at least 90) observed in the
-- newest current delivery: bulletins of Y are then still expected.
CREATE FUNCTION provisional_years(p_service text, asof timestamptz)
RETURNS TABLE (year int) LANGUAGE sql STABLE AS $$
    WITH cur AS (SELECT DISTINCT c.delivery_id FROM coverage_as_of(asof) c
                 WHERE c.service = p_service),
         ref AS (SELECT max(d.reference_date) AS r,
                        (array_agg(d.lag_p95_days ORDER BY d.loaded_at DESC, d.id DESC))[1] AS lag
                 FROM delivery d JOIN cur ON cur.delivery_id = d.id
                 WHERE d.reference_date IS NOT NULL)
    SELECT y FROM ref, generate_series(1995, yr(ref.r)) AS y
    WHERE ref.r IS NOT NULL AND make_date(y, 12, 31) + greatest(coalesce(ref.lag, 365), 90) > ref.r
$$;
