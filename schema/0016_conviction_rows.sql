-- 0016_conviction_rows.sql — conviction figures summed from the bulletins
-- in one pass (issue 13, speed: `ciatteh query` p95 < 50 ms at ten times
-- the Belgian volume).
--
-- Analysts read conviction bulletins only in groups (issue 18):
-- convictions_fact (0008) counts them per combination of everything the
-- conviction items break down by, and the items' views read it.  Every
-- conviction figure therefore grouped all the bulletins of its years by
-- eleven columns first: a 20-year query at ten times the Belgian volume
-- hashed 66,000 bulletins into 55,000 groups (the combinations are nearly
-- as many as the bulletins), ~70-100 ms of the server's CPU, before
-- figures() summed those groups by the one or two dimensions asked.  That
-- grouping was most of every slow query of the benchmark
-- (BENCHMARKS.md, sixth round).
--
-- figures() now sums a conviction item straight from the bulletins, by
-- the dimensions asked, in one pass: for each item whose source has a
-- finer, owner-only twin (item_source_rows below: convictions_fact's is
-- convictions_bulletin, the same columns one row per bulletin), the
-- migrator makes a second view item_rows_CODE over the twin (the same
-- declaration, schema/seed/item.csv), and figures_rows() reads it with the
-- owner's rights.  What an analyst gets is what figures() always gave:
-- sums by at most the item's dimensions and the year, over the deliveries
-- current at the moment asked, never finer than convictions_fact's groups;
-- and only analysts, administrators and the owner get it (the roles that
-- read convictions_fact), checked on the calling role.  The same figures:
-- a group's value, records and unknowns are the sums of its bulletins'
-- (a sum over bulletins none of which knows the value stays NULL, as the
-- group's did); tests/schema/test_upgrade_figures.sh compares every
-- item's figures() rows before and after this migration, and the
-- benchmark every output of 400 queries, byte for byte.
--
-- Nothing is stored: loads do not change (the alternative, a group table
-- written by the loader, cost conviction loads 40-80 % at a million rows,
-- measured: BENCHMARKS.md).  Checks and the pack read item_fact, as before.

-- Sources whose items may also be summed from a finer, owner-only twin.
CREATE TABLE item_source_rows (
    source text PRIMARY KEY,    -- an item's source (item.source)
    rows text NOT NULL          -- the owner's view of the same columns, one row per record
);
INSERT INTO item_source_rows VALUES ('convictions_fact', 'convictions_bulletin');
REVOKE ALL ON item_source_rows FROM PUBLIC;

-- 0012's builder, and the twins: item_rows_CODE for each item whose
-- source has one, granted to nobody (figures_rows() reads them).
CREATE OR REPLACE FUNCTION ciatteh_build_items() RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    i item;
    v text;
    tw text;
    u text[] := '{}';
    outside text[] := '{}';
    analyst boolean := EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'ciatteh_analyst');
BEGIN
    DROP VIEW IF EXISTS item_fact;
    FOR v IN SELECT c.relname FROM pg_catalog.pg_class c
             WHERE c.relnamespace = (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = 'delivery'::regclass)
               AND c.relkind = 'v' AND (c.relname LIKE 'item\_fact\_%' OR c.relname LIKE 'item\_rows\_%') LOOP
        EXECUTE format('DROP VIEW %I', v);
    END LOOP;
    FOR i IN SELECT * FROM item ORDER BY sort, code LOOP
        -- One view per item, which `ciatteh query` reads directly: planning
        -- every branch of item_fact costs ~10 ms even when all but one fold.
        v := 'item_fact_' || replace(i.code, '.', '_');
        EXECUTE format('CREATE VIEW %I WITH (security_invoker = true) AS %s', v, ciatteh_item_select(i));
        IF analyst THEN EXECUTE format('GRANT SELECT ON %I TO ciatteh_analyst', v); END IF;
        u := u || format('SELECT * FROM %I', v);
        -- The year of an item counted by a later date than the delivery's
        -- (a decision, an admission) may come from an earlier delivery.
        IF i.year <> 'dyear' THEN outside := outside || i.code; END IF;
        -- Its twin over one row per record, when its source has one.
        SELECT r.rows INTO tw FROM item_source_rows r WHERE r.source = i.source;
        IF FOUND THEN
            i.source := tw;
            EXECUTE format('CREATE VIEW %I WITH (security_invoker = true) AS %s',
                           'item_rows_' || replace(i.code, '.', '_'), ciatteh_item_select(i));
        END IF;
    END LOOP;
    IF cardinality(u) = 0 THEN
        RAISE EXCEPTION 'no item declared (schema/seed/item.csv)';
    END IF;
    -- item_fact, the union, for readers of several items (checks, the pack).
    EXECUTE format('CREATE VIEW item_fact WITH (security_invoker = true) AS %s',
                   array_to_string(u, ' UNION ALL '));
    IF analyst THEN GRANT SELECT ON item_fact TO ciatteh_analyst; END IF;
    -- Constant for each branch of item_fact, it folds away when planned,
    -- and with it the branches of the other items.
    EXECUTE format('CREATE OR REPLACE FUNCTION item_in_delivery_year(code text) RETURNS boolean '
                   'LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT code <> ALL (%L::text[]) $f$',
                   outside);
END $$;
REVOKE EXECUTE ON FUNCTION ciatteh_build_items() FROM PUBLIC;

-- figures() of 0015, unchanged but for the relation it reads: the item's
-- view (item_fact_CODE), or with p_rows its twin (item_rows_CODE).
CREATE FUNCTION ciatteh_figures(p_item text, p_asof timestamptz, p_y0 int, p_y1 int,
                                p_by text, p_wdim text, p_wcodes text, p_rows boolean)
RETURNS TABLE (year int, d0 text, d1 text, d2 text, d3 text, d4 text, d5 text, d6 text, d7 text,
               value bigint, n_records bigint, n_unknown bigint,
               delivered boolean, incomplete boolean, provisional boolean)
LANGUAGE plpgsql STABLE
SET enable_nestloop = off SET enable_mergejoin = off SET enable_sort = off SET jit = off
AS $fn$
DECLARE
    it record;
    dims text[];
    v_by text[] := CASE WHEN coalesce(p_by, '') = '' THEN '{}'::text[] ELSE string_to_array(p_by, ',') END;
    v_wd text[] := CASE WHEN coalesce(p_wdim, '') = '' THEN '{}'::text[] ELSE string_to_array(p_wdim, ',') END;
    v_wc text[] := CASE WHEN coalesce(p_wcodes, '') = '' THEN '{}'::text[] ELSE string_to_array(p_wcodes, ';') END;
    rel text;
    sel text := '';
    grp text := '';
    cond text := '';
    k int;
    prov_years int[] := '{}';
    part text;
    v_sdim text;                -- the scope dimension (centre), if the item has one
    v_sk int := 0;              -- its position in p_by (0: not asked)
    v_scodes text[];            -- the centres asked by --where (NULL: all)
    scond text := '';           -- coverage restricted to those centres
    cunit text := '''''';       -- a coverage row's unit: '' or its centre
    xunit text := '''''';       -- a figure's unit
    funit text := '''''';       -- an item_fact row's unit
    units text := 'SELECT ''''::text AS s';
    -- Without centres as units, the statement is 0009's (years alone as
    -- keys); with them, each key is (year, centre).
    ks text := '';              -- the unit column in a key
    kyrs text := '';
    kunc text := '';            -- an undelivered unit's records only
    kjoin text := '';
    blank text := '';           -- the codes of a row without figures
BEGIN
    SELECT i.code, i.service, i.dims, i.provisional, i.columns INTO it FROM item i WHERE i.code = p_item;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown item %', p_item USING ERRCODE = '22023';
    END IF;
    dims := string_to_array(it.dims, ',');
    IF array_length(v_by, 1) > 8 THEN
        RAISE EXCEPTION 'at most eight dimensions' USING ERRCODE = '22023';
    END IF;
    IF coalesce(array_length(v_wd, 1), 0) <> coalesce(array_length(v_wc, 1), 0) THEN
        RAISE EXCEPTION 'each condition needs its codes' USING ERRCODE = '22023';
    END IF;
    -- The dimension the item reads from the delivery's scope (0012's
    -- 'dim=expression' declarations).
    FOREACH part IN ARRAY regexp_split_to_array(coalesce(it.columns, ''), '\s*;\s*') LOOP
        IF part ~ '^\s*[a-z_]+\s*=\s*scope\s*$' THEN
            v_sdim := substring(part FROM '^\s*([a-z_]+)');
        END IF;
    END LOOP;
    IF NOT v_sdim = ANY(dims) THEN v_sdim := NULL; END IF;
    FOR k IN 1 .. 8 LOOP
        IF k <= coalesce(array_length(v_by, 1), 0) THEN
            IF NOT v_by[k] = ANY(dims) THEN
                RAISE EXCEPTION 'item % has no dimension %', p_item, v_by[k] USING ERRCODE = '22023';
            END IF;
            sel := sel || format(', coalesce(f.%I, ''UNK'') AS d%s', v_by[k], k - 1);
            grp := grp || format(', %s', k + 1);
            IF v_by[k] = v_sdim AND v_sk = 0 THEN v_sk := k; END IF;
        ELSE
            sel := sel || format(', NULL::text AS d%s', k - 1);
        END IF;
        blank := blank || CASE WHEN k = v_sk THEN ', yrs.s' ELSE ', NULL' END;
    END LOOP;
    FOR k IN 1 .. coalesce(array_length(v_wd, 1), 0) LOOP
        IF NOT v_wd[k] = ANY(dims) THEN
            RAISE EXCEPTION 'item % has no dimension %', p_item, v_wd[k] USING ERRCODE = '22023';
        END IF;
        cond := cond || format(' AND coalesce(f.%I, ''UNK'') = ANY(string_to_array($4[%s], '',''))', v_wd[k], k);
        IF v_wd[k] = v_sdim THEN
            v_scodes := ARRAY(SELECT unnest(string_to_array(v_wc[k], ','))
                              INTERSECT SELECT unnest(coalesce(v_scodes, string_to_array(v_wc[k], ','))));
        END IF;
    END LOOP;
    IF 'offence' = ANY(dims) AND NOT ('offence' = ANY(v_by) OR 'offence' = ANY(v_wd)) THEN
        cond := cond || ' AND f.offence = ''THB''';
    END IF;
    IF v_scodes IS NOT NULL THEN scond := ' AND c.scope = ANY($7)'; END IF;
    IF v_sk > 0 THEN
        cunit := 'c.scope';
        xunit := format('x.d%s', v_sk - 1);
        funit := 'f.scope';
        ks := ', s';
        kyrs := ', yrs.s';
        kunc := 'AND (f.year, f.scope) IN (SELECT y, s FROM unc)';
        kjoin := format(' AND yrs.s = x.d%s', v_sk - 1);
        units := format('SELECT k.code AS s FROM code k JOIN dimension m ON m.list = k.list '
                        'WHERE m.code = %L AND k.input%s UNION SELECT s FROM cov',
                        v_sdim, CASE WHEN v_scodes IS NOT NULL THEN ' AND k.code = ANY($7)' ELSE '' END);
    END IF;
    rel := CASE WHEN p_rows THEN 'item_rows_' ELSE 'item_fact_' END || replace(it.code, '.', '_');

    IF it.provisional = 'registration_lag' THEN
        SELECT coalesce(array_agg(p.year), '{}') INTO prov_years FROM provisional_years(it.service, p_asof) p;
    END IF;

    -- One statement: the years (and units: centres, or the whole service)
    -- delivered at the moment (cov), the item's figures from the
    -- deliveries current then, by the year they count in (facts), the
    -- years asked for each unit (yrs: the bounds given, else every year
    -- delivered or counted), and, only when a year asked is not delivered
    -- (the EXISTS is a one-time filter: no second scan otherwise), whether
    -- records of the item of any offence and code fall in it (inc).
    RETURN QUERY EXECUTE format(
        'WITH cov AS (SELECT DISTINCT c.year, %6$s AS s FROM coverage_as_of($1) c WHERE c.service = $5%5$s), '
        'facts AS (SELECT f.year AS y%1$s, sum(f.value)::bigint AS v, sum(f.n_records)::bigint AS n, sum(f.n_unknown)::bigint AS u '
        '  FROM %2$I f JOIN coverage_as_of($1) c '
        '    ON c.delivery_id = f.delivery_id AND c.scope = f.scope AND c.year = f.dyear '
        '  WHERE c.service = $5 AND f.year BETWEEN coalesce($2, 0) AND coalesce($3, 9999)%3$s '
        '  GROUP BY 1%4$s), '
        'fy AS (SELECT DISTINCT x.y, %7$s AS s FROM facts x WHERE x.n > 0), '
        'span AS (SELECT coalesce($2, least((SELECT min(year) FROM cov), (SELECT min(y) FROM fy))) AS lo, '
        '                coalesce($3, greatest((SELECT max(year) FROM cov), (SELECT max(y) FROM fy))) AS hi), '
        'units AS (%9$s), '
        'yrs AS (SELECT y, units.s, (y%11$s) IN (SELECT year%11$s FROM cov) AS dl '
        '  FROM span, generate_series(span.lo, span.hi) y, units), '
        'unc AS (SELECT y, s FROM yrs WHERE NOT dl), '
        'inc AS (SELECT DISTINCT f.year AS y, %8$s AS s FROM %2$I f JOIN coverage_as_of($1) c '
        '    ON c.delivery_id = f.delivery_id AND c.scope = f.scope AND c.year = f.dyear '
        '  WHERE EXISTS (SELECT 1 FROM unc) AND c.service = $5%5$s AND f.year IN (SELECT y FROM unc) '
        '    %13$s AND f.n_records > 0) '
        'SELECT * FROM (SELECT x.y, x.d0, x.d1, x.d2, x.d3, x.d4, x.d5, x.d6, x.d7, x.v, x.n, x.u, '
        '       true, false, x.y = ANY($6) '
        'FROM facts x JOIN yrs ON yrs.y = x.y%14$s AND yrs.dl WHERE x.n > 0 '
        'UNION ALL '
        'SELECT yrs.y%10$s, '
        '       CASE WHEN yrs.dl THEN 0::bigint END, 0::bigint, 0::bigint, '
        '       yrs.dl, NOT yrs.dl AND (yrs.y%12$s) IN (SELECT y%11$s FROM inc), yrs.dl AND yrs.y = ANY($6) '
        'FROM yrs WHERE NOT (yrs.dl AND (yrs.y%12$s) IN (SELECT y%11$s FROM fy))) z '
        'ORDER BY y, d0 COLLATE "C", d1 COLLATE "C", d2 COLLATE "C", d3 COLLATE "C", '
        '         d4 COLLATE "C", d5 COLLATE "C", d6 COLLATE "C", d7 COLLATE "C"',
        sel, rel, cond, grp, scond, cunit, xunit, funit, units, blank, ks, kyrs, kunc, kjoin)
    USING p_asof, p_y0, p_y1, v_wc, it.service, prov_years, v_scodes;
END
$fn$;


-- A conviction item's figures from its twin, with the owner's rights, for
-- the roles that may read convictions_fact (the owner, analysts,
-- administrators): the calling role is checked, not the owner this runs as.
CREATE FUNCTION figures_rows(p_item text, p_asof timestamptz, p_y0 int, p_y1 int,
                             p_by text, p_wdim text, p_wcodes text)
RETURNS TABLE (year int, d0 text, d1 text, d2 text, d3 text, d4 text, d5 text, d6 text, d7 text,
               value bigint, n_records bigint, n_unknown bigint,
               delivered boolean, incomplete boolean, provisional boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER AS $fn$
DECLARE
    who name := ciatteh_caller();
BEGIN
    IF NOT (pg_catalog.pg_has_role(who, (SELECT c.relowner FROM pg_catalog.pg_class c
                                         WHERE c.oid = 'delivery'::regclass), 'USAGE')
            OR (EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'ciatteh_analyst')
                AND pg_catalog.pg_has_role(who, 'ciatteh_analyst', 'USAGE'))
            OR (EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'ciatteh_admin')
                AND pg_catalog.pg_has_role(who, 'ciatteh_admin', 'USAGE'))) THEN
        RAISE EXCEPTION 'role % may not read the figures of %', who, p_item
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF to_regclass('item_rows_' || replace(p_item, '.', '_')) IS NULL THEN
        RAISE EXCEPTION 'item % is not read from records', p_item USING ERRCODE = '22023';
    END IF;
    RETURN QUERY SELECT * FROM ciatteh_figures(p_item, p_asof, p_y0, p_y1, p_by, p_wdim, p_wcodes, true);
END
$fn$;

-- The figure layer's entry (same signature, columns and rows as 0015's):
-- from the bulletins in one pass when the item has a twin and the caller
-- may read it, else from the item's view as before (where a role that may
-- not read it meets the view's refusal, as before).
CREATE OR REPLACE FUNCTION figures(p_item text, p_asof timestamptz, p_y0 int, p_y1 int,
                        p_by text DEFAULT '', p_wdim text DEFAULT '', p_wcodes text DEFAULT '')
RETURNS TABLE (year int, d0 text, d1 text, d2 text, d3 text, d4 text, d5 text, d6 text, d7 text,
               value bigint, n_records bigint, n_unknown bigint,
               delivered boolean, incomplete boolean, provisional boolean)
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
    IF to_regclass('item_rows_' || replace(p_item, '.', '_')) IS NOT NULL AND ciatteh_may_read() THEN
        RETURN QUERY SELECT * FROM figures_rows(p_item, p_asof, p_y0, p_y1, p_by, p_wdim, p_wcodes);
    ELSE
        RETURN QUERY SELECT * FROM ciatteh_figures(p_item, p_asof, p_y0, p_y1, p_by, p_wdim, p_wcodes, false);
    END IF;
END
$fn$;

-- The owner's function with a fixed search_path (0003's rule): a temporary
-- table must never stand in for one of ours.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = 'delivery'::regclass)
               AND p.proname = 'figures_rows' LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f,
                       (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n
                          ON n.oid = c.relnamespace WHERE c.oid = 'delivery'::regclass));
    END LOOP;
END $$;
