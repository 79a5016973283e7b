-- 0007_groups.sql — item facts stored once per group, records stored once
-- per delivery (issue 9: a load at the speed of a plain COPY).
--
-- Groups.  A delivery's records are counted in groups: one row per
-- distinct combination of the values its items break down by (dates as
-- years, prison terms as bands, fines as "some"/"none"), with the number
-- of records and the sums of the counted values.  The loader builds them
-- while it reads the file (etl/group.c, declared by the `group`, `sum` and
-- `lag` lines of etl/specs/SERVICE.spec) and copies them in after the
-- records; group_SERVICE(d) below builds the same rows from the stored
-- records (re-derivation, the rare --keep-going load that drops
-- duplicates, and tests/ingest/test_groups.sh, which holds the two equal).
--
-- item_fact was written per item: five rows per conviction group, two
-- million rows for a million convictions, and writing them was most of a
-- load's time.  It is now a view that reads the groups: what each item
-- counts (which year, which records, which value, what is unknown) is
-- defined once, here, at read time, and a change of an item's definition
-- needs no re-derivation.  Each item is a branch of a UNION ALL with its
-- code as a constant, so `item = $1` leaves one branch to plan.
--
-- Convictions have no group table: their items break down by eight
-- dimensions, whose combinations are nearly as many as the bulletins (a
-- million synthetic bulletins make 386,000), so the table would be a
-- second copy of the records and writing it a third of the load.  Their
-- items read the records, one row per bulletin (convictions_fact).
--
-- Records.  Each delivery's records go into a partition of their own,
-- created by the load (ciatteh_record_partition) and written by COPY
-- directly: no index to keep up (the BRIN on delivery_id cost a third of
-- the COPY), no routing through the parent, and a delivery is found by
-- partition pruning.  The records of earlier deliveries stay in the old
-- table, now the partition of every id up to this migration.

-- ------------------------------------------------------------ records

CREATE FUNCTION ciatteh_partition_records() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t text;
    upto bigint := (SELECT coalesce(max(id), 0) + 1 FROM delivery);
BEGIN
    FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
             WHERE c.relnamespace = (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = 'delivery'::regclass)
               AND c.relkind = 'r' AND c.relname LIKE '%\_record' ORDER BY 1 LOOP
        -- The guard triggers come back on the parent (and from it on every
        -- partition) in ciatteh_guard_records() below.
        EXECUTE format('DROP TRIGGER IF EXISTS ciatteh_guard_open ON %I', t);
        EXECUTE format('DROP TRIGGER IF EXISTS ciatteh_guard_add ON %I', t);
        EXECUTE format('DROP TRIGGER IF EXISTS ciatteh_guard_take ON %I', t);
        EXECUTE format('ALTER TABLE %I RENAME TO %I', t, t || '_before_' || upto);
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS) '
                       'PARTITION BY RANGE (delivery_id)', t, t || '_before_' || upto);
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%s)',
                       t, t || '_before_' || upto, upto);
    END LOOP;
END $$;
SELECT ciatteh_partition_records();
DROP FUNCTION ciatteh_partition_records();

-- ------------------------------------------------------------ groups

-- The year of a date, as 0002's yr() but through date_part (a float)
-- instead of extract (a numeric since PostgreSQL 14): a conviction query
-- takes the year of every bulletin it reads several times, and numeric
-- arithmetic made that a third slower (measured).  The same years.
CREATE OR REPLACE FUNCTION yr(d date) RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_part('year', d)::int $$;

CREATE TABLE police_group (
    delivery_id bigint NOT NULL, scope text NOT NULL, dyear int NOT NULL,
    year int, offence text, form text, district text,
    n bigint NOT NULL, suspects bigint, suspects_known bigint NOT NULL,
    victims bigint, victims_known bigint NOT NULL
);
CREATE TABLE prosecution_group (
    delivery_id bigint NOT NULL, scope text NOT NULL, dyear int NOT NULL,
    entry_year int, decision_year int, offence text, form text, district text, decision text,
    n bigint NOT NULL, defendants bigint, defendants_known bigint NOT NULL
);
CREATE TABLE inspectorates_group (
    delivery_id bigint NOT NULL, scope text NOT NULL, dyear int NOT NULL,
    year int, inspectorate text, sector text,
    n bigint NOT NULL, inspections bigint, inspections_known bigint NOT NULL,
    thb_reports bigint, thb_reports_known bigint NOT NULL,
    victims_referred bigint, victims_referred_known bigint NOT NULL
);
CREATE TABLE shelters_group (
    delivery_id bigint NOT NULL, scope text NOT NULL, dyear int NOT NULL,
    referral_year int, admitted boolean, admission_year int, referred_by text, sex text,
    age_group text, nationality text, form text,
    n bigint NOT NULL
);
CREATE TABLE immigration_group (
    delivery_id bigint NOT NULL, scope text NOT NULL, dyear int NOT NULL,
    year int, procedure text, sex text, minor boolean, nationality text, document text,
    n bigint NOT NULL
);
-- No index: readers scan a service's groups whole and join them to the
-- coverage (a few hundred deliveries); a BRIN on delivery_id cost a
-- fifth of the groups' COPY (measured), to find one delivery's groups
-- when the server re-derives it, which is rare.

-- The same groups from the stored records (the loader's are built by
-- etl/group.c from the spec's declarations).  NULL = not known, as in the
-- records; the view decides what an unknown counts as.

CREATE FUNCTION group_police(d bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO police_group
    SELECT d, '', yr(r.registration_date), yr(r.registration_date), r.offence, r.exploitation_form,
           r.district, count(*), sum(r.suspects), count(r.suspects), sum(r.victims), count(r.victims)
    FROM police_record r WHERE r.delivery_id = d
    GROUP BY 3, 5, 6, 7
$$;

CREATE FUNCTION group_prosecution(d bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO prosecution_group
    SELECT d, '', yr(r.entry_date), yr(r.entry_date), yr(r.decision_date), r.offence,
           r.exploitation_form, r.district, r.decision, count(*), sum(r.defendants), count(r.defendants)
    FROM prosecution_record r WHERE r.delivery_id = d
    GROUP BY yr(r.entry_date), yr(r.decision_date), r.offence, r.exploitation_form, r.district, r.decision
$$;

CREATE FUNCTION group_inspectorates(d bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO inspectorates_group
    SELECT d, '', r.year, r.year, r.inspectorate, r.sector, count(*),
           sum(r.inspections), count(r.inspections), sum(r.thb_reports), count(r.thb_reports),
           sum(r.victims_referred), count(r.victims_referred)
    FROM inspectorates_record r WHERE r.delivery_id = d
    GROUP BY r.year, r.inspectorate, r.sector
$$;

CREATE FUNCTION group_shelters(d bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO shelters_group
    SELECT d, r.centre, yr(r.referral_date), yr(r.referral_date), r.admitted, yr(r.admission_date),
           r.referred_by, r.sex,
           CASE WHEN r.age IS NULL OR r.age < 0 THEN NULL WHEN r.age < 18 THEN 'MINOR' ELSE 'ADULT' END,
           r.nationality, r.exploitation_form, count(*)
    FROM shelters_record r WHERE r.delivery_id = d
    GROUP BY 2, 3, 5, 6, 7, 8, 9, 10, 11
$$;

-- Convictions have no group table (etl/specs/convictions.spec says why):
-- their items read the records, through convictions_fact below.
CREATE FUNCTION group_convictions(d bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Registration delay of this delivery: the base of the provisional
    -- rule (see provisional_years()).  lag_p95_days is percentile_disc(0.95)
    -- of the delays, taken from their counts, as the loader computes it.
    UPDATE delivery SET
        reference_date = s.ref, lag_p95_days = s.lag
    FROM (SELECT max(h.newest) AS ref,
                 min(h.lag) FILTER (WHERE h.cum >= ceil(0.95::float8 * h.total::float8)) AS lag
          FROM (SELECT l.lag, l.newest, sum(l.n) OVER (ORDER BY l.lag) AS cum, sum(l.n) OVER () AS total
                FROM derive_convictions_lags(d) l) h) s
    WHERE id = d;
END $$;

CREATE FUNCTION group_immigration(d bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO immigration_group
    SELECT d, '', yr(r.issue_date), yr(r.issue_date), r.procedure, r.sex, r.minor, r.nationality,
           r.document_type, count(*)
    FROM immigration_record r WHERE r.delivery_id = d
    GROUP BY 3, 5, 6, 7, 8, 9
$$;

-- derive_items(d) (0003: checked, then this) now rebuilds a delivery's
-- groups from its records.
CREATE OR REPLACE FUNCTION derive_items_unchecked(d bigint) RETURNS void
LANGUAGE plpgsql SET work_mem = '256MB' AS $$
DECLARE s text;
BEGIN
    SELECT service INTO s FROM delivery WHERE id = d;
    -- s comes from our own delivery table and names one of the tables
    -- and functions above; format(%I) quotes it all the same.
    IF to_regclass(s || '_group') IS NOT NULL THEN
        EXECUTE format('DELETE FROM %I WHERE delivery_id = $1', s || '_group') USING d;
    END IF;
    EXECUTE format('SELECT %I($1)', 'group_' || s) USING d;
END $$;

-- The item facts of 0001, per item, from the groups.
DROP TABLE item_fact;
DROP FUNCTION derive_police(bigint), derive_prosecution(bigint), derive_inspectorates(bigint),
    derive_shelters(bigint), derive_convictions(bigint), derive_immigration(bigint),
    derive_police_groups(bigint), derive_prosecution_groups(bigint),
    derive_shelters_groups(bigint), derive_convictions_groups(bigint),
    derive_immigration_groups(bigint);

-- Citizenship group of a nationality in a year (citizenship() of 0002, as
-- a join: one hash probe per group instead of a subquery per row; unused,
-- the join is removed by the planner).
-- Convictions: one row per bulletin, with the columns a group would have
-- (n = 1).  The view reads the records with its owner's rights and shows
-- no reference, no date and no exact term or amount: what it shows is
-- what item_fact showed at its finest breakdown.
CREATE VIEW convictions_fact AS
SELECT r.delivery_id, ''::text AS scope, yr(r.judgment_date) AS dyear, yr(r.judgment_date) AS year,
       r.offence, r.exploitation_form AS form, r.sex, r.nationality, r.court_district AS district,
       CASE WHEN r.prison_months IS NULL OR r.prison_months < 0 THEN NULL
            ELSE sentence_band(r.prison_months) END AS band,
       r.suspension, 1::bigint AS n,
       CASE WHEN r.fine_eur > 0 THEN 1 WHEN r.fine_eur = 0 THEN 0 END::bigint AS fined,
       (r.fine_eur IS NOT NULL)::int::bigint AS fined_known,
       CASE WHEN r.confiscation THEN 1 WHEN NOT r.confiscation THEN 0 END::bigint AS confiscations,
       (r.confiscation IS NOT NULL)::int::bigint AS confiscations_known
FROM convictions_record r;
CREATE VIEW convictions_group_c AS
SELECT g.*, CASE WHEN g.nationality IS NULL THEN 'UNK' WHEN g.nationality = 'BE' THEN 'NAT'
                 WHEN m.country IS NOT NULL THEN 'EU' ELSE 'NONEU' END AS citizenship
FROM convictions_fact g LEFT JOIN eu_member m ON m.country = g.nationality
     AND m.from_year <= g.year AND (m.to_year IS NULL OR m.to_year >= g.year);
CREATE VIEW immigration_group_c AS
SELECT g.*, CASE WHEN g.nationality IS NULL THEN 'UNK' WHEN g.nationality = 'BE' THEN 'NAT'
                 WHEN m.country IS NOT NULL THEN 'EU' ELSE 'NONEU' END AS citizenship
FROM immigration_group g LEFT JOIN eu_member m ON m.country = g.nationality
     AND m.from_year <= g.year AND (m.to_year IS NULL OR m.to_year >= g.year);
-- Shelters count referrals by the referral year and admissions by the
-- admission year: the year of the citizenship differs, so each of their
-- two items joins eu_member itself.

-- value: the sum of the item's value over the records whose value is
-- known (NULL when none is); n_records: the records behind the figure;
-- n_unknown: those whose value is not known.  A dimension an item does
-- not carry is NULL; one a record left unknown is 'UNK'.
--
-- One view per item (item_fact_CODE, its dot as _), which `ciatteh query`
-- reads directly: planning all eighteen branches of item_fact took ~10 ms
-- of every query even when seventeen fold away.  item_fact, their union,
-- is for readers of several items (the checks, the pack's coverage test).
-- Each item's view, with item_fact's columns in this order (the
-- definitions below give them by position).
CREATE FUNCTION pg_temp.item_view(name text, def text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE VIEW %I AS SELECT * FROM (%s) f(delivery_id, scope, dyear, item, year, '
                   'offence, form, sex, age_group, citizenship, nationality, district, centre, '
                   'referrer, sector, inspectorate, decision, sentence_band, suspension, document, '
                   'value, n_records, n_unknown)', name, def);
END $$;
SELECT pg_temp.item_view('item_fact_police_facts', $v$
SELECT delivery_id, scope, dyear, 'police.facts'::text AS item, year,
       offence, coalesce(form, 'UNK') AS form, NULL::text AS sex, NULL::text AS age_group,
       NULL::text AS citizenship, NULL::text AS nationality, district, NULL::text AS centre,
       NULL::text AS referrer, NULL::text AS sector, NULL::text AS inspectorate,
       NULL::text AS decision, NULL::text AS sentence_band, NULL::text AS suspension,
       NULL::text AS document, n AS value, n AS n_records, 0::bigint AS n_unknown
FROM police_group
$v$);

SELECT pg_temp.item_view('item_fact_police_suspects', $v$
SELECT delivery_id, scope, dyear, 'police.suspects', year, offence, coalesce(form, 'UNK'), NULL, NULL,
       NULL, NULL, district, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       suspects, n, n - suspects_known
FROM police_group
$v$);

SELECT pg_temp.item_view('item_fact_police_victims', $v$
SELECT delivery_id, scope, dyear, 'police.victims', year, offence, coalesce(form, 'UNK'), NULL, NULL,
       NULL, NULL, district, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       victims, n, n - victims_known
FROM police_group
$v$);

SELECT pg_temp.item_view('item_fact_prosecution_cases_in', $v$
SELECT delivery_id, scope, dyear, 'prosecution.cases_in', entry_year, offence, coalesce(form, 'UNK'),
       NULL, NULL, NULL, NULL, district, NULL, NULL, NULL, NULL, decision, NULL, NULL, NULL,
       n, n, 0
FROM prosecution_group
$v$);

SELECT pg_temp.item_view('item_fact_prosecution_cases_prosecuted', $v$
SELECT delivery_id, scope, dyear, 'prosecution.cases_prosecuted', decision_year, offence,
       coalesce(form, 'UNK'), NULL, NULL, NULL, NULL, district, NULL, NULL, NULL, NULL, decision,
       NULL, NULL, NULL, n, n, 0
FROM prosecution_group WHERE decision IN ('SUMMONS', 'REFERRAL') AND decision_year IS NOT NULL
$v$);

SELECT pg_temp.item_view('item_fact_prosecution_defendants_prosecuted', $v$
SELECT delivery_id, scope, dyear, 'prosecution.defendants_prosecuted', decision_year, offence,
       coalesce(form, 'UNK'), NULL, NULL, NULL, NULL, district, NULL, NULL, NULL, NULL, decision,
       NULL, NULL, NULL, defendants, n, n - defendants_known
FROM prosecution_group WHERE decision IN ('SUMMONS', 'REFERRAL') AND decision_year IS NOT NULL
$v$);

SELECT pg_temp.item_view('item_fact_prosecution_cases_dismissed', $v$
SELECT delivery_id, scope, dyear, 'prosecution.cases_dismissed', decision_year, offence,
       coalesce(form, 'UNK'), NULL, NULL, NULL, NULL, district, NULL, NULL, NULL, NULL, decision,
       NULL, NULL, NULL, n, n, 0
FROM prosecution_group WHERE decision = 'DISMISSED' AND decision_year IS NOT NULL
$v$);

SELECT pg_temp.item_view('item_fact_inspection_inspections', $v$
SELECT delivery_id, scope, dyear, 'inspection.inspections', year, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, sector, inspectorate, NULL, NULL, NULL, NULL,
       inspections, n, n - inspections_known
FROM inspectorates_group
$v$);

SELECT pg_temp.item_view('item_fact_inspection_thb_reports', $v$
SELECT delivery_id, scope, dyear, 'inspection.thb_reports', year, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, sector, inspectorate, NULL, NULL, NULL, NULL,
       thb_reports, n, n - thb_reports_known
FROM inspectorates_group
$v$);

SELECT pg_temp.item_view('item_fact_inspection_victims_referred', $v$
SELECT delivery_id, scope, dyear, 'inspection.victims_referred', year, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, sector, inspectorate, NULL, NULL, NULL, NULL,
       victims_referred, n, n - victims_referred_known
FROM inspectorates_group
$v$);

SELECT pg_temp.item_view('item_fact_shelter_referrals', $v$
SELECT delivery_id, scope, dyear, 'shelter.referrals', year, NULL, coalesce(form, 'UNK'),
       coalesce(sex, 'UNK'), coalesce(age_group, 'UNK'), citizenship, coalesce(nationality, 'UNK'),
       NULL, scope, coalesce(referred_by, 'UNK'), NULL, NULL, NULL, NULL, NULL, NULL, n, n, 0
FROM (SELECT g.*, g.referral_year AS year,
             CASE WHEN g.nationality IS NULL THEN 'UNK' WHEN g.nationality = 'BE' THEN 'NAT'
                  WHEN m.country IS NOT NULL THEN 'EU' ELSE 'NONEU' END AS citizenship
      FROM shelters_group g LEFT JOIN eu_member m ON m.country = g.nationality
           AND m.from_year <= g.referral_year AND (m.to_year IS NULL OR m.to_year >= g.referral_year)) g
$v$);

SELECT pg_temp.item_view('item_fact_shelter_victims_admitted', $v$
SELECT delivery_id, scope, dyear, 'shelter.victims_admitted', year, NULL, coalesce(form, 'UNK'),
       coalesce(sex, 'UNK'), coalesce(age_group, 'UNK'), citizenship, coalesce(nationality, 'UNK'),
       NULL, scope, coalesce(referred_by, 'UNK'), NULL, NULL, NULL, NULL, NULL, NULL, n, n, 0
FROM (SELECT g.*, g.admission_year AS year,
             CASE WHEN g.nationality IS NULL THEN 'UNK' WHEN g.nationality = 'BE' THEN 'NAT'
                  WHEN m.country IS NOT NULL THEN 'EU' ELSE 'NONEU' END AS citizenship
      FROM shelters_group g LEFT JOIN eu_member m ON m.country = g.nationality
           AND m.from_year <= g.admission_year AND (m.to_year IS NULL OR m.to_year >= g.admission_year)
      WHERE g.admitted AND g.admission_year IS NOT NULL) g
$v$);

SELECT pg_temp.item_view('item_fact_conviction_persons', $v$
SELECT delivery_id, scope, dyear, 'conviction.persons', year, offence, coalesce(form, 'UNK'),
       coalesce(sex, 'UNK'), NULL, citizenship, coalesce(nationality, 'UNK'), district, NULL, NULL,
       NULL, NULL, NULL, coalesce(band, 'UNK'),
       CASE WHEN band = 'NA' THEN 'NA' ELSE coalesce(suspension, 'UNK') END, NULL,
       n, n, 0
FROM convictions_group_c
$v$);

-- A prison term: band known and not 'NA' (no prison term).
SELECT pg_temp.item_view('item_fact_conviction_prison', $v$
SELECT delivery_id, scope, dyear, 'conviction.prison', year, offence, coalesce(form, 'UNK'),
       coalesce(sex, 'UNK'), NULL, citizenship, coalesce(nationality, 'UNK'), district, NULL, NULL,
       NULL, NULL, NULL, coalesce(band, 'UNK'),
       CASE WHEN band = 'NA' THEN 'NA' ELSE coalesce(suspension, 'UNK') END, NULL,
       CASE WHEN band IS NULL THEN NULL WHEN band = 'NA' THEN 0 ELSE n END, n,
       CASE WHEN band IS NULL THEN n ELSE 0 END
FROM convictions_group_c
$v$);

-- Suspended (in part or in full): none without a prison term; unknown
-- when the term or the suspension is.
SELECT pg_temp.item_view('item_fact_conviction_prison_suspended', $v$
SELECT delivery_id, scope, dyear, 'conviction.prison_suspended', year, offence, coalesce(form, 'UNK'),
       coalesce(sex, 'UNK'), NULL, citizenship, coalesce(nationality, 'UNK'), district, NULL, NULL,
       NULL, NULL, NULL, coalesce(band, 'UNK'),
       CASE WHEN band = 'NA' THEN 'NA' ELSE coalesce(suspension, 'UNK') END, NULL,
       CASE WHEN band = 'NA' THEN 0 WHEN band IS NULL OR suspension IS NULL THEN NULL
            WHEN suspension IN ('PARTIAL', 'FULL') THEN n ELSE 0 END, n,
       CASE WHEN band = 'NA' THEN 0 WHEN band IS NULL OR suspension IS NULL THEN n ELSE 0 END
FROM convictions_group_c
$v$);

SELECT pg_temp.item_view('item_fact_conviction_fines', $v$
SELECT delivery_id, scope, dyear, 'conviction.fines', year, offence, coalesce(form, 'UNK'),
       coalesce(sex, 'UNK'), NULL, citizenship, coalesce(nationality, 'UNK'), district, NULL, NULL,
       NULL, NULL, NULL, coalesce(band, 'UNK'),
       CASE WHEN band = 'NA' THEN 'NA' ELSE coalesce(suspension, 'UNK') END, NULL,
       fined, n, n - fined_known
FROM convictions_group_c
$v$);

SELECT pg_temp.item_view('item_fact_conviction_confiscations', $v$
SELECT delivery_id, scope, dyear, 'conviction.confiscations', year, offence, coalesce(form, 'UNK'),
       coalesce(sex, 'UNK'), NULL, citizenship, coalesce(nationality, 'UNK'), district, NULL, NULL,
       NULL, NULL, NULL, coalesce(band, 'UNK'),
       CASE WHEN band = 'NA' THEN 'NA' ELSE coalesce(suspension, 'UNK') END, NULL,
       confiscations, n, n - confiscations_known
FROM convictions_group_c
$v$);

SELECT pg_temp.item_view('item_fact_immigration_documents', $v$
SELECT delivery_id, scope, dyear, 'immigration.documents', year, procedure, NULL, coalesce(sex, 'UNK'),
       CASE WHEN minor IS NULL THEN 'UNK' WHEN minor THEN 'MINOR' ELSE 'ADULT' END, citizenship,
       coalesce(nationality, 'UNK'), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, document,
       n, n, 0
FROM immigration_group_c
$v$);
DROP FUNCTION pg_temp.item_view(text, text);

CREATE VIEW item_fact AS
SELECT * FROM item_fact_police_facts
UNION ALL SELECT * FROM item_fact_police_suspects
UNION ALL SELECT * FROM item_fact_police_victims
UNION ALL SELECT * FROM item_fact_prosecution_cases_in
UNION ALL SELECT * FROM item_fact_prosecution_cases_prosecuted
UNION ALL SELECT * FROM item_fact_prosecution_defendants_prosecuted
UNION ALL SELECT * FROM item_fact_prosecution_cases_dismissed
UNION ALL SELECT * FROM item_fact_inspection_inspections
UNION ALL SELECT * FROM item_fact_inspection_thb_reports
UNION ALL SELECT * FROM item_fact_inspection_victims_referred
UNION ALL SELECT * FROM item_fact_shelter_referrals
UNION ALL SELECT * FROM item_fact_shelter_victims_admitted
UNION ALL SELECT * FROM item_fact_conviction_persons
UNION ALL SELECT * FROM item_fact_conviction_prison
UNION ALL SELECT * FROM item_fact_conviction_prison_suspended
UNION ALL SELECT * FROM item_fact_conviction_fines
UNION ALL SELECT * FROM item_fact_conviction_confiscations
UNION ALL SELECT * FROM item_fact_immigration_documents;

-- Is an item's year always its records' delivery year?  Not for the
-- items counted by a later date (a decision, an admission): a figure of
-- year Y may then come from a delivery of an earlier year (never a later
-- one: the specs' not_before rules).  The pack looks only at these items
-- for deliveries of earlier years that reach into its period.  Constant
-- for each branch of item_fact, it folds away when planned, and with it
-- the branches of the other items.
CREATE FUNCTION item_in_delivery_year(code text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT code NOT IN ('prosecution.cases_prosecuted', 'prosecution.defendants_prosecuted',
                        'prosecution.cases_dismissed', 'shelter.victims_admitted')
$$;

-- Readers read with their own rights (the group tables' grants below).
ALTER VIEW item_fact SET (security_invoker = true);
ALTER VIEW item_fact_police_facts SET (security_invoker = true);
ALTER VIEW item_fact_police_suspects SET (security_invoker = true);
ALTER VIEW item_fact_police_victims SET (security_invoker = true);
ALTER VIEW item_fact_prosecution_cases_in SET (security_invoker = true);
ALTER VIEW item_fact_prosecution_cases_prosecuted SET (security_invoker = true);
ALTER VIEW item_fact_prosecution_defendants_prosecuted SET (security_invoker = true);
ALTER VIEW item_fact_prosecution_cases_dismissed SET (security_invoker = true);
ALTER VIEW item_fact_inspection_inspections SET (security_invoker = true);
ALTER VIEW item_fact_inspection_thb_reports SET (security_invoker = true);
ALTER VIEW item_fact_inspection_victims_referred SET (security_invoker = true);
ALTER VIEW item_fact_shelter_referrals SET (security_invoker = true);
ALTER VIEW item_fact_shelter_victims_admitted SET (security_invoker = true);
ALTER VIEW item_fact_conviction_persons SET (security_invoker = true);
ALTER VIEW item_fact_conviction_prison SET (security_invoker = true);
ALTER VIEW item_fact_conviction_prison_suspended SET (security_invoker = true);
ALTER VIEW item_fact_conviction_fines SET (security_invoker = true);
ALTER VIEW item_fact_conviction_confiscations SET (security_invoker = true);
ALTER VIEW item_fact_immigration_documents SET (security_invoker = true);
ALTER VIEW convictions_group_c SET (security_invoker = true);
ALTER VIEW immigration_group_c SET (security_invoker = true);

-- ------------------------------------------------------------ access
-- As record tables (0003): table privileges per service plus guard
-- triggers, not row-level security, which would refuse the loader's COPY.

-- Guard triggers on every record and group table, the record tables'
-- partitions included (a load writes its partition directly, and a
-- statement trigger of the parent does not fire then); row triggers
-- reach the partitions from the parent.  Idempotent.
CREATE OR REPLACE FUNCTION ciatteh_guard_records() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    seq text := pg_catalog.pg_get_serial_sequence(
                    (SELECT 'delivery'::regclass::text), 'id');
BEGIN
    FOR t IN SELECT c.relname, pg_catalog.pg_get_userbyid(c.relowner) AS owner,
                    pg_catalog.regexp_replace(coalesce(p.relname, c.relname), '_(record|group)$', '') AS service,
                    c.relispartition AS part
             FROM pg_catalog.pg_class c
             LEFT JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid
             LEFT JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
             WHERE c.relnamespace = (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = 'delivery'::regclass)
               AND ((c.relkind IN ('r', 'p') AND NOT c.relispartition
                     AND (c.relname LIKE '%\_record' OR c.relname LIKE '%\_group'))
                    OR (c.relispartition AND p.relname LIKE '%\_record'))
             ORDER BY 1 LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER ciatteh_guard_open BEFORE INSERT ON %I FOR EACH STATEMENT '
                       'WHEN (CURRENT_USER <> %L) EXECUTE FUNCTION ciatteh_guard_statement(%L, %L)',
                       t.relname, t.owner, t.service, seq);
        IF t.part THEN CONTINUE; END IF;
        EXECUTE format('CREATE OR REPLACE TRIGGER ciatteh_guard_add AFTER INSERT ON %I FOR EACH ROW '
                       'WHEN (CURRENT_USER <> %L AND NEW.delivery_id IS DISTINCT FROM pg_catalog.currval(%L::regclass)) '
                       'EXECUTE FUNCTION ciatteh_guard_record(%L)',
                       t.relname, t.owner, seq, t.service);
        EXECUTE format('CREATE OR REPLACE TRIGGER ciatteh_guard_take BEFORE DELETE ON %I FOR EACH ROW '
                       'WHEN (CURRENT_USER <> %L) EXECUTE FUNCTION ciatteh_guard_record(%L)',
                       t.relname, t.owner, t.service);
    END LOOP;
END $$;

-- The partition of delivery d's records, created for the load adding d in
-- this transaction; returns its name.  The loader's role may write it (the
-- guards above still check every statement).
CREATE FUNCTION ciatteh_record_partition(d bigint) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    s text;
    part text;
    loader text;
    seq text := pg_catalog.pg_get_serial_sequence((SELECT 'delivery'::regclass::text), 'id');
BEGIN
    -- Open: written by this transaction, which row-level security allowed
    -- for the caller's own service only.
    SELECT service INTO s FROM delivery WHERE id = d AND xmin = pg_catalog.pg_current_xact_id()::xid;
    IF s IS NULL THEN
        RAISE EXCEPTION 'role % may create the records partition of a delivery it is adding in this transaction only (not delivery %)',
                        ciatteh_caller(), d USING ERRCODE = 'insufficient_privilege';
    END IF;
    part := s || '_record_' || d;
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)',
                   part, s || '_record', d, d + 1);
    EXECUTE format('CREATE TRIGGER ciatteh_guard_open BEFORE INSERT ON %I FOR EACH STATEMENT '
                   'WHEN (CURRENT_USER <> %L) EXECUTE FUNCTION ciatteh_guard_statement(%L, %L)',
                   part, CURRENT_USER, s, seq);
    loader := 'ciatteh_loader_' || s;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = loader) THEN
        EXECUTE format('GRANT INSERT ON %I TO %I', part, loader);
    END IF;
    RETURN part;
END $$;

-- 0003's roles, with the group tables: each loader writes its service's
-- groups, analysts read every service's (through item_fact).
CREATE OR REPLACE FUNCTION ciatteh_setup_roles() RETURNS TABLE (role text, may text)
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    r text;
    ro text;
    schema_name text := (SELECT n.nspname FROM pg_catalog.pg_class c
                         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                         WHERE c.oid = 'delivery'::regclass);
    -- What analysts read: items, coverage, catalogue, history.
    analyst_reads text[] := ARRAY['item_fact', 'item', 'dimension', 'code', 'code_alias',
                                  'service', 'eu_member', 'delivery', 'delivery_year',
                                  'coverage_current', 'delivery_history',
                                  'ciatteh_migration', 'ciatteh_seed',
                                  'convictions_fact', 'convictions_group_c', 'immigration_group_c'];
    loader_reads text[] := ARRAY['code', 'code_alias', 'service', 'item', 'dimension',
                                 'delivery_history', 'ciatteh_migration', 'ciatteh_seed'];
BEGIN
    PERFORM ciatteh_guard_records();
    FOR r IN SELECT unnest(ARRAY['ciatteh_analyst', 'ciatteh_admin']) UNION ALL
             SELECT 'ciatteh_loader_' || pg_catalog.left(c.relname, -7)
             FROM pg_catalog.pg_class c
             WHERE c.relnamespace = schema_name::regnamespace AND c.relkind IN ('r', 'p')
               AND NOT c.relispartition AND c.relname LIKE '%\_record' LOOP
        IF r !~ '^ciatteh_[a-z][a-z0-9_]*$' THEN CONTINUE; END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;   -- another database of this server created it meanwhile
            END;
        END IF;
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', schema_name, r);
        BEGIN
            EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), r);
        EXCEPTION WHEN insufficient_privilege THEN
            NULL;   -- not the database's owner: PUBLIC's CONNECT applies
        END;
    END LOOP;

    FOREACH ro IN ARRAY analyst_reads LOOP
        IF to_regclass(format('%I.%I', schema_name, ro)) IS NOT NULL THEN
            EXECUTE format('GRANT SELECT ON %I.%I TO ciatteh_analyst', schema_name, ro);
        END IF;
    END LOOP;
    -- The group tables and every item's view (item_fact_CODE).
    FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
             WHERE c.relnamespace = schema_name::regnamespace
               AND ((c.relkind = 'r' AND c.relname LIKE '%\_group')
                    OR (c.relkind = 'v' AND c.relname LIKE 'item\_fact\_%')) ORDER BY 1 LOOP
        EXECUTE format('GRANT SELECT ON %I.%I TO ciatteh_analyst', schema_name, t.relname);
    END LOOP;
    role := 'ciatteh_analyst';
    may := 'reads items, coverage, the catalogue and the delivery history; no record table';
    RETURN NEXT;

    FOR t IN SELECT c.relname, pg_catalog.left(c.relname, -7) AS service
             FROM pg_catalog.pg_class c
             WHERE c.relnamespace = schema_name::regnamespace AND c.relkind IN ('r', 'p')
               AND NOT c.relispartition AND c.relname LIKE '%\_record' ORDER BY 1 LOOP
        r := 'ciatteh_loader_' || t.service;
        IF r !~ '^ciatteh_[a-z][a-z0-9_]*$' THEN CONTINUE; END IF;
        FOREACH ro IN ARRAY loader_reads LOOP
            IF to_regclass(format('%I.%I', schema_name, ro)) IS NOT NULL THEN
                EXECUTE format('GRANT SELECT ON %I.%I TO %I', schema_name, ro, r);
            END IF;
        END LOOP;
        EXECUTE format('GRANT SELECT, INSERT (service, file_name, sha256, size_bytes, encoding, loaded_at, os_user), '
                       'UPDATE (rows, rejected_rows, partial, reference_date, lag_p95_days) ON %I.delivery TO %I',
                       schema_name, r);
        EXECUTE format('GRANT SELECT, INSERT ON %I.delivery_year TO %I', schema_name, r);
        EXECUTE format('GRANT USAGE ON SEQUENCE %I.delivery_id_seq TO %I', schema_name, r);
        EXECUTE format('GRANT SELECT, INSERT, DELETE ON %I.%I TO %I', schema_name, t.relname, r);
        IF to_regclass(format('%I.%I', schema_name, t.service || '_group')) IS NOT NULL THEN
            EXECUTE format('GRANT INSERT ON %I.%I TO %I', schema_name, t.service || '_group', r);
        END IF;
        EXECUTE format('GRANT EXECUTE ON FUNCTION %I.derive_items(bigint) TO %I', schema_name, r);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %I.ciatteh_record_partition(bigint) TO %I', schema_name, r);
        EXECUTE format('GRANT SELECT ON %I.%I TO ciatteh_admin', schema_name, t.relname);
        EXECUTE format('GRANT %I TO ciatteh_admin', r);
        role := r;
        may := format('adds deliveries of %s (its own rows of delivery, delivery_year, %s and %s_group); reads its own deliveries',
                      t.service, t.relname, t.service);
        RETURN NEXT;
    END LOOP;

    -- Standard answers (0004): analysts export them, and read them back.
    IF to_regclass(format('%I.answer_set', schema_name)) IS NOT NULL THEN
        EXECUTE format('GRANT SELECT, INSERT ON %I.answer_set, %I.answer_value TO ciatteh_analyst',
                       schema_name, schema_name);
        EXECUTE format('GRANT USAGE ON SEQUENCE %I.answer_set_id_seq TO ciatteh_analyst', schema_name);
    END IF;
    -- Reference tables (every table filled from schema/seed/) are read by all.
    PERFORM ciatteh_grant_seed(path) FROM ciatteh_seed;
    GRANT ciatteh_analyst TO ciatteh_admin;
    EXECUTE format('GRANT EXECUTE ON FUNCTION %I.rederive_all() TO ciatteh_admin', schema_name);
    role := 'ciatteh_admin';
    may := 'an analyst and every loader; reads record tables; back-fills history; re-derives items';
    RETURN NEXT;
END $$;

-- ------------------------------------------------------------ lock down

REVOKE EXECUTE ON FUNCTION group_police(bigint), group_prosecution(bigint),
    group_inspectorates(bigint), group_shelters(bigint), group_convictions(bigint),
    group_immigration(bigint) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION ciatteh_record_partition(bigint) FROM PUBLIC;

-- Fixed search_path for the functions replaced or added here (0003's rule).
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = 'delivery'::regclass)
               AND (p.proname LIKE 'ciatteh\_%' OR p.proname IN ('derive_items', 'derive_items_unchecked')) LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f,
                       (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n
                          ON n.oid = c.relnamespace WHERE c.oid = 'delivery'::regclass));
    END LOOP;
END $$;

DO $$
BEGIN
    IF (SELECT rolsuper OR rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
        PERFORM ciatteh_setup_roles();
    ELSE
        PERFORM ciatteh_guard_records();
        RAISE NOTICE 'ciatteh roles not updated: run `ciatteh admin roles` as a user with CREATEROLE';
    END IF;
END $$;
