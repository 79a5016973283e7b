-- 0016_conviction_groups.sql — conviction items read stored groups, as
-- every other service's items do (issue 13, speed: `ciatteh query` p95
-- < 50 ms at ten times the Belgian volume).
--
-- Since 0008 the analysts' convictions_fact counted the bulletins per
-- combination of everything conviction items break down by, at read time:
-- a 20-year conviction query at ten times the Belgian volume grouped
-- 66,000 bulletins by eleven columns (year and band computed per
-- bulletin) into 55,000 groups before figures() could sum them by the
-- few dimensions asked; ~70 ms of the server's CPU per query, most of
-- every slow query of the benchmark (BENCHMARKS.md, sixth round).  The
-- loader now counts a delivery's bulletins in groups while it reads them
-- (etl/specs/convictions.spec: its group and sum lines; etl/group.c) and
-- copies them into convictions_group, as for the other services.  This
-- migration makes the table; the deliveries already loaded get their
-- groups from their stored records when the migrator re-derives every
-- delivery after applying it (rederive_all, schema/migrate.c), through
-- group_convictions() below.
--
-- The figures do not change: a group row holds what convictions_fact
-- computed for its combination (the band of the prison term, NULL when
-- the term is not known; the fine's sign, and how many fines were known;
-- the same of confiscations), and convictions_fact, with the same columns,
-- now reads the table (tests/schema/test_upgrade_figures.sh compares every
-- item's figures across the upgrade; tests/ingest/test_groups.sh holds
-- the loader's groups equal to group_convictions()'s from the records).
-- A combination may take several rows when the loader's memory spilled
-- (include/ciatteh/group.h); every reader sums.  Analysts still read
-- groups, never one row per bulletin (issue 18).

CREATE TABLE convictions_group (
    delivery_id bigint NOT NULL, scope text NOT NULL, dyear int NOT NULL,
    offence text, form text, sex text, nationality text, district text, band text, suspension text,
    n bigint NOT NULL, fined bigint, fined_known bigint NOT NULL,
    confiscations bigint, confiscations_known bigint NOT NULL
);

-- The same groups from the stored records (derive_items: the rare
-- --keep-going load that takes duplicates back out, re-derivation), and
-- the registration delay as 0007 computed it.
CREATE OR REPLACE FUNCTION group_convictions(d bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO convictions_group
    SELECT d, '', yr(r.judgment_date), r.offence, r.exploitation_form, r.sex, r.nationality,
           r.court_district,
           CASE WHEN r.prison_months IS NULL OR r.prison_months < 0 THEN NULL
                ELSE sentence_band(r.prison_months) END,
           r.suspension, count(*),
           sum(CASE WHEN r.fine_eur > 0 THEN 1 WHEN r.fine_eur = 0 THEN 0 END), count(r.fine_eur),
           sum(CASE WHEN r.confiscation THEN 1 WHEN NOT r.confiscation THEN 0 END), count(r.confiscation)
    FROM convictions_record r WHERE r.delivery_id = d
    GROUP BY 3, 4, 5, 6, 7, 8, 9, 10;
    UPDATE delivery SET
        reference_date = s.ref, lag_p95_days = s.lag
    FROM (SELECT max(h.newest) AS ref,
                 min(h.lag) FILTER (WHERE h.cum >= ceil(0.95::float8 * h.total::float8)) AS lag
          FROM (SELECT l.lag, l.newest, sum(l.n) OVER (ORDER BY l.lag) AS cum, sum(l.n) OVER () AS total
                FROM derive_convictions_lags(d) l) h) s
    WHERE id = d;
END $$;
REVOKE EXECUTE ON FUNCTION group_convictions(bigint) FROM PUBLIC;

-- The analysts' view of 0008, same columns, now over the stored groups
-- (no second grouping: a group row is already a count of bulletins).
CREATE OR REPLACE VIEW convictions_fact AS
SELECT delivery_id, scope, dyear, dyear AS year, offence, form, sex, nationality, district, band,
       suspension, n, fined, fined_known, confiscations, confiscations_known
FROM convictions_group;

-- Grants and guard triggers of the new group table (0007's roles: the
-- conviction loader writes it, analysts read it).
DO $$
BEGIN
    IF (SELECT rolsuper OR rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
        PERFORM ciatteh_setup_roles();
    ELSE
        PERFORM ciatteh_guard_records();
        RAISE NOTICE 'ciatteh roles not updated: run `ciatteh admin roles` as a user with CREATEROLE';
    END IF;
END $$;
