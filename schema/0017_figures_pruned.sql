-- 0017_figures_pruned.sql — figures() reads only the deliveries that can
-- count (issue 13, speed: `ciatteh query` p95 < 50 ms at ten times the
-- Belgian volume).
--
-- A conviction figure sums bulletins, and the bulletins are partitioned
-- by delivery (convictions_record, 0007).  ciatteh_figures() joined every
-- bulletin of every delivery to the coverage at the moment asked, so the
-- planner opened all of them and the executor read them all, whatever the
-- years: `conviction.persons --by district --years 2019-2023` read the 23
-- partitions of 20 years (66,000 bulletins at ten times the volume) to
-- keep 5 (measured: 35 ms of server CPU warm, 84 ms in a new backend,
-- against 12 and 34 ms when only the 5 are read; BENCHMARKS.md, eighth
-- round).
--
-- ciatteh_figures() now first asks, for an item read from the records
-- (0016's twins), the coverage which deliveries of the
-- service are current at the moment for the years asked (for an item
-- counted by its delivery's year; for one counted by a later date,
-- 'outside' in 0012's sense, every current delivery of the service), and
-- writes their ids into its statement as a constant, which the planner
-- prunes the partitions with before opening them.  The list only ever
-- holds every delivery the join to the coverage could keep (a delivery's
-- facts of year Y count only if the delivery is current for Y, and an
-- item counted by its delivery's year has its facts' year = the delivery
-- year), so no figure and no state changes: tests/schema/
-- test_upgrade_figures.sh compares every item's figures() rows, by every
-- dimension, for spans inside, across and beyond the deliveries, current
-- and as of a moment in the past, after a corrected re-delivery, before and
-- after this migration; the benchmark compares 400 outputs byte for byte.
--
-- Everything else is 0016's ciatteh_figures(), unchanged.

CREATE OR REPLACE FUNCTION ciatteh_figures(p_item text, p_asof timestamptz, p_y0 int, p_y1 int,
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
    dcond text := '';           -- the deliveries that can count, as a constant
BEGIN
    SELECT i.code, i.service, i.dims, i.provisional, i.columns, i.year INTO it FROM item i WHERE i.code = p_item;
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

    -- Read from the records (p_rows: the twin over the bulletins, whose
    -- table is partitioned by delivery): the deliveries of the service
    -- current at the moment for the years asked (any year, for an item
    -- counted by a later date than its delivery's), a constant in the
    -- statement, so that the planner opens and reads only their
    -- partitions.  A superset of what the join to the coverage keeps,
    -- never less.  The group tables the other items read are not
    -- partitioned: their statement stays 0016's (measured: the filter
    -- gained them nothing and the extra lookup cost them ~3 ms of SQL
    -- p50 in the side-by-side run).
    IF p_rows THEN
        SELECT format(' AND f.delivery_id = ANY(%L::bigint[])',
                      coalesce(array_agg(DISTINCT c.delivery_id ORDER BY c.delivery_id), '{}'))
          INTO dcond FROM coverage_as_of(p_asof) c
         WHERE c.service = it.service
           AND (it.year <> 'dyear' OR c.year BETWEEN coalesce(p_y0, 0) AND coalesce(p_y1, 9999));
    END IF;

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
        '  WHERE c.service = $5 AND f.year BETWEEN coalesce($2, 0) AND coalesce($3, 9999)%3$s%15$s '
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
        '    %13$s AND f.n_records > 0%15$s) '
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
        sel, rel, cond, grp, scond, cunit, xunit, funit, units, blank, ks, kyrs, kunc, kjoin, dcond)
    USING p_asof, p_y0, p_y1, v_wc, it.service, prov_years, v_scodes;
END
$fn$;
