-- 0009_figures.sql — the figure layer's two SQL functions: the moment an
-- as-of date means (as_of_moment), and the facts of one item as they stood
-- at a moment, with every state decision (figures).  Every output reads
-- its cells through figures() (reports/query.c, cia_query_run); nothing
-- else decides what a cell is: not delivered, incomplete year,
-- provisional, lower bound, delivered zero, and the offence scope.

-- The end of the --as-of day in Brussels; NULL (no --as-of) is "now and
-- whatever is loaded later": infinity.  A sql function, so it is inlined
-- into the statements that call it.
CREATE FUNCTION as_of_moment(d date) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN d IS NULL THEN 'infinity'::timestamptz
                ELSE ((d + 1)::timestamp AT TIME ZONE 'Europe/Brussels') - interval '1 microsecond' END
$$;

-- The figures of one item as they stood at p_asof, for the years p_y0 to
-- p_y1 (NULL: the years the service delivered, and any year its records
-- fall in), broken down by p_by (comma-separated dimensions, at most
-- eight, in output order) and restricted by p_wdim/p_wcodes (the
-- dimensions, comma-separated, and for each its codes, comma-separated,
-- the lists separated by ';').
--
-- One row per year asked and combination of the p_by codes that has
-- records; a delivered year without records gets one row with no codes
-- and value 0 (a delivered zero).  A year no delivery of the service
-- covers is never a figure: one row, no codes, no value, and
--   incomplete  when records of the item fall in it all the same (an item
--               counted by a later date than the delivery's: decisions of
--               2025 on cases of a 2016-2024 file),
--   otherwise   not delivered (delivered = false).
-- provisional: the year is delivered but still receives records (rule
-- 'registration_lag' of the item, provisional_years()).
-- Offences are never added together: an item with an offence dimension
-- asked without it in p_by or p_wdim counts THB only.
--
-- The planner misjudges the join of an item's facts to the coverage by
-- orders of magnitude (multiplying the selectivities of three correlated
-- columns) and then picks a nested loop or a merge join and a spilling
-- sort: hash join and hash aggregation are right at every size these
-- statements have, so the function runs with the others off, and without
-- JIT (the disable costs would cross jit_above_cost).
CREATE FUNCTION figures(p_item text, p_asof timestamptz, p_y0 int, p_y1 int,
                        p_by text DEFAULT '', p_wdim text DEFAULT '', p_wcodes text DEFAULT '')
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
BEGIN
    SELECT i.code, i.service, i.dims, i.provisional INTO it FROM item i WHERE i.code = p_item;
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
    FOR k IN 1 .. 8 LOOP
        IF k <= coalesce(array_length(v_by, 1), 0) THEN
            IF NOT v_by[k] = ANY(dims) THEN
                RAISE EXCEPTION 'item % has no dimension %', p_item, v_by[k] USING ERRCODE = '22023';
            END IF;
            sel := sel || format(', coalesce(f.%I, ''UNK'') AS d%s', v_by[k], k - 1);
            grp := grp || format(', %s', k + 1);
        ELSE
            sel := sel || format(', NULL::text AS d%s', k - 1);
        END IF;
    END LOOP;
    FOR k IN 1 .. coalesce(array_length(v_wd, 1), 0) LOOP
        IF NOT v_wd[k] = ANY(dims) THEN
            RAISE EXCEPTION 'item % has no dimension %', p_item, v_wd[k] USING ERRCODE = '22023';
        END IF;
        cond := cond || format(' AND coalesce(f.%I, ''UNK'') = ANY(string_to_array($4[%s], '',''))', v_wd[k], k);
    END LOOP;
    IF 'offence' = ANY(dims) AND NOT ('offence' = ANY(v_by) OR 'offence' = ANY(v_wd)) THEN
        cond := cond || ' AND f.offence = ''THB''';
    END IF;
    rel := 'item_fact_' || replace(it.code, '.', '_');

    IF it.provisional = 'registration_lag' THEN
        SELECT coalesce(array_agg(p.year), '{}') INTO prov_years FROM provisional_years(it.service, p_asof) p;
    END IF;

    -- One statement: the service's years at the moment (cov), the item's
    -- figures from the deliveries current then, by the year they count in
    -- (facts), the years asked (yrs: the bounds given, else every year
    -- delivered or counted), and, only when a year asked is not delivered
    -- (the EXISTS is a one-time filter: no second scan otherwise), whether
    -- records of the item of any offence and code fall in it (inc).
    RETURN QUERY EXECUTE format(
        'WITH cov AS (SELECT DISTINCT c.year FROM coverage_as_of($1) c WHERE c.service = $5), '
        'facts AS (SELECT f.year AS y%1$s, sum(f.value)::bigint AS v, sum(f.n_records)::bigint AS n, sum(f.n_unknown)::bigint AS u '
        '  FROM %2$I f JOIN coverage_as_of($1) c '
        '    ON c.delivery_id = f.delivery_id AND c.scope = f.scope AND c.year = f.dyear '
        '  WHERE c.service = $5 AND f.year BETWEEN coalesce($2, 0) AND coalesce($3, 9999)%3$s '
        '  GROUP BY 1%4$s), '
        'fy AS (SELECT DISTINCT y FROM facts WHERE n > 0), '
        'span AS (SELECT coalesce($2, least((SELECT min(year) FROM cov), (SELECT min(y) FROM fy))) AS lo, '
        '                coalesce($3, greatest((SELECT max(year) FROM cov), (SELECT max(y) FROM fy))) AS hi), '
        'yrs AS (SELECT y, y IN (SELECT year FROM cov) AS dl FROM span, generate_series(span.lo, span.hi) y), '
        'unc AS (SELECT y FROM yrs WHERE NOT dl), '
        'inc AS (SELECT DISTINCT f.year AS y FROM %2$I f JOIN coverage_as_of($1) c '
        '    ON c.delivery_id = f.delivery_id AND c.scope = f.scope AND c.year = f.dyear '
        '  WHERE EXISTS (SELECT 1 FROM unc) AND c.service = $5 AND f.year IN (SELECT y FROM unc) '
        '    AND f.n_records > 0) '
        'SELECT * FROM (SELECT x.y, x.d0, x.d1, x.d2, x.d3, x.d4, x.d5, x.d6, x.d7, x.v, x.n, x.u, '
        '       true, false, x.y = ANY($6) '
        'FROM facts x JOIN yrs ON yrs.y = x.y AND yrs.dl WHERE x.n > 0 '
        'UNION ALL '
        'SELECT yrs.y, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '
        '       CASE WHEN yrs.dl THEN 0::bigint END, 0::bigint, 0::bigint, '
        '       yrs.dl, yrs.y IN (SELECT y FROM inc), yrs.dl AND yrs.y = ANY($6) '
        'FROM yrs WHERE NOT (yrs.dl AND yrs.y IN (SELECT y FROM fy))) z '
        'ORDER BY y, d0 COLLATE "C", d1 COLLATE "C", d2 COLLATE "C", d3 COLLATE "C", '
        '         d4 COLLATE "C", d5 COLLATE "C", d6 COLLATE "C", d7 COLLATE "C"',
        sel, rel, cond, grp)
    USING p_asof, p_y0, p_y1, v_wc, it.service, prov_years;
END
$fn$;
