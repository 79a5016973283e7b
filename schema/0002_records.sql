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

CREATE FUNCTION citizenship(nat text, yr int) RETURNS text
LANGUAGE sql STABLE AS $$
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
LANGUAGE sql IMMUTABLE AS $$
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
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN age IS NULL THEN 'UNK' WHEN age < 18 THEN 'MINOR' ELSE 'ADULT' END
$$;

CREATE FUNCTION yr(d date) RETURNS int
LANGUAGE sql IMMUTABLE AS $$ SELECT extract(year FROM d)::int $$;

-- Derivations: one function per service, items per ITEMS.md ------------
-- Each aggregates the delivery's records once by every dimension (with
-- the known count of each value beside its sum), then unfolds the small
-- grouped result into one fact row per item: far cheaper than one pass
-- per item over millions of records.  work_mem is raised so the grouping
-- stays a hash in memory.

CREATE FUNCTION derive_police(d bigint) RETURNS void
LANGUAGE sql SET work_mem = '256MB' AS $$
    WITH g AS (
        SELECT yr(r.registration_date) AS y, r.offence,
               coalesce(r.exploitation_form, 'UNK') AS form, r.district,
               count(*) AS n, sum(r.suspects) AS s, count(r.suspects) AS sk,
               sum(r.victims) AS v, count(r.victims) AS vk
        FROM police_record r WHERE r.delivery_id = d
        GROUP BY 1, 2, 3, 4)
    INSERT INTO item_fact (delivery_id, scope, dyear, item, year, offence, form,
                           district, value, n_records, n_unknown)
    SELECT d, '', g.y, x.item, g.y, g.offence, g.form, g.district, x.v, g.n, g.n - x.k
    FROM g CROSS JOIN LATERAL (VALUES ('police.facts', g.n, g.n),
                                      ('police.suspects', g.s, g.sk),
                                      ('police.victims', g.v, g.vk)) AS x(item, v, k)
$$;

CREATE FUNCTION derive_prosecution(d bigint) RETURNS void
LANGUAGE sql SET work_mem = '256MB' AS $$
    WITH g AS (
        SELECT yr(r.entry_date) AS dy, yr(r.decision_date) AS ydec, r.offence,
               coalesce(r.exploitation_form, 'UNK') AS form, r.district, r.decision,
               count(*) AS n, sum(r.defendants) AS s, count(r.defendants) AS sk
        FROM prosecution_record r WHERE r.delivery_id = d
        GROUP BY 1, 2, 3, 4, 5, 6)
    INSERT INTO item_fact (delivery_id, scope, dyear, item, year, offence, form,
                           district, decision, value, n_records, n_unknown)
    SELECT d, '', g.dy, x.item, x.y, g.offence, g.form, g.district, g.decision,
           x.v, g.n, g.n - x.k
    FROM g CROSS JOIN LATERAL (VALUES
        ('prosecution.cases_in', g.dy, g.n, g.n, true),
        ('prosecution.cases_prosecuted', g.ydec, g.n, g.n, g.decision IN ('SUMMONS', 'REFERRAL')),
        ('prosecution.defendants_prosecuted', g.ydec, g.s, g.sk, g.decision IN ('SUMMONS', 'REFERRAL')),
        ('prosecution.cases_dismissed', g.ydec, g.n, g.n, g.decision = 'DISMISSED')
        ) AS x(item, y, v, k, keep)
    WHERE x.keep AND x.y IS NOT NULL
$$;

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

CREATE FUNCTION derive_shelters(d bigint) RETURNS void
LANGUAGE sql SET work_mem = '256MB' AS $$
    WITH g AS (
        SELECT r.centre, yr(r.referral_date) AS dy,
               CASE WHEN r.admitted THEN yr(r.admission_date) END AS yad,
               coalesce(r.referred_by, 'UNK') AS referrer, coalesce(r.sex, 'UNK') AS sex,
               age_group(r.age) AS age_group, r.nationality,
               coalesce(r.exploitation_form, 'UNK') AS form, count(*) AS n
        FROM shelters_record r WHERE r.delivery_id = d
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8)
    INSERT INTO item_fact (delivery_id, scope, dyear, item, year, centre, referrer,
                           sex, age_group, citizenship, nationality, form,
                           value, n_records, n_unknown)
    SELECT d, g.centre, g.dy, x.item, x.y, g.centre, g.referrer, g.sex, g.age_group,
           citizenship(g.nationality, x.y), coalesce(g.nationality, 'UNK'), g.form,
           g.n, g.n, 0
    FROM g CROSS JOIN LATERAL (VALUES ('shelter.referrals', g.dy),
                                      ('shelter.victims_admitted', g.yad)) AS x(item, y)
    WHERE x.y IS NOT NULL
$$;

CREATE FUNCTION derive_convictions(d bigint) RETURNS void
LANGUAGE plpgsql SET work_mem = '256MB' AS $$
BEGIN
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
        FROM convictions_record r WHERE r.delivery_id = d),
    g AS (
        SELECT y, offence, form, sex, nationality, district, band, susp, count(*) AS n,
               sum(prison) AS p, count(prison) AS pk, sum(suspended) AS s, count(suspended) AS sk,
               sum(fined) AS f, count(fined) AS fk, sum(conf) AS c, count(conf) AS ck
        FROM v GROUP BY 1, 2, 3, 4, 5, 6, 7, 8)
    INSERT INTO item_fact (delivery_id, scope, dyear, item, year, offence, form,
                           sex, citizenship, nationality, district, sentence_band,
                           suspension, value, n_records, n_unknown)
    SELECT d, '', g.y, x.item, g.y, g.offence, g.form, g.sex, citizenship(g.nationality, g.y),
           coalesce(g.nationality, 'UNK'), g.district, g.band, g.susp, x.v, g.n, g.n - x.k
    FROM g CROSS JOIN LATERAL (VALUES ('conviction.persons', g.n, g.n),
                                      ('conviction.prison', g.p, g.pk),
                                      ('conviction.prison_suspended', g.s, g.sk),
                                      ('conviction.fines', g.f, g.fk),
                                      ('conviction.confiscations', g.c, g.ck)) AS x(item, v, k);

    -- Registration delay of this delivery: the base of the provisional rule.
    UPDATE delivery SET
        reference_date = s.ref, lag_p95_days = s.lag
    FROM (SELECT max(registration_date) AS ref,
                 percentile_disc(0.95) WITHIN GROUP
                     (ORDER BY registration_date - judgment_date) AS lag
          FROM convictions_record WHERE delivery_id = d) s
    WHERE id = d;
END $$;

CREATE FUNCTION derive_immigration(d bigint) RETURNS void
LANGUAGE sql SET work_mem = '256MB' AS $$
    WITH g AS (
        SELECT yr(r.issue_date) AS y, r.procedure, coalesce(r.sex, 'UNK') AS sex,
               CASE WHEN r.minor IS NULL THEN 'UNK' WHEN r.minor THEN 'MINOR' ELSE 'ADULT' END AS age_group,
               r.nationality, r.document_type, count(*) AS n
        FROM immigration_record r WHERE r.delivery_id = d
        GROUP BY 1, 2, 3, 4, 5, 6)
    INSERT INTO item_fact (delivery_id, scope, dyear, item, year, offence, sex,
                           age_group, citizenship, nationality, document,
                           value, n_records, n_unknown)
    SELECT d, '', g.y, 'immigration.documents', g.y, g.procedure, g.sex, g.age_group,
           citizenship(g.nationality, g.y), coalesce(g.nationality, 'UNK'),
           g.document_type, g.n, g.n, 0
    FROM g
$$;

CREATE FUNCTION derive_items(d bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE s text;
BEGIN
    SELECT service INTO s FROM delivery WHERE id = d;
    DELETE FROM item_fact WHERE delivery_id = d;
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
