-- 0015_figures_keys.sql — figures() of 0014 with cheaper keys (issue 13,
-- speed: `ciatteh query` p95 < 50 ms at ten times the Belgian volume).
-- 0014 made every year a (year, unit) pair so that a centre could be its
-- own unit; for every query that is not per centre the unit is the empty
-- string, and the pairs cost a row comparison per key in each of the
-- statement's membership tests (yrs against cov, the incomplete test's
-- scan of the item's facts, the delivered-zero rows) that the planner
-- cannot hash as well as a plain integer.  This migration replaces
-- figures() (same signature, same columns, same rows): without centres as
-- units the keys are the years alone, as in 0009; with them, (year,
-- centre) as in 0014.  No figure changes; tests/schema/
-- test_upgrade_figures.sh compares every item's figures before and after.
--
-- It also adds, so that nothing outside the figure layer reads item facts
-- or writes out an as-of moment (issue 13; tests/hygiene/lint_layers.sh):
--   as_of_reference()  the moment a reading refers to, which questionnaire
--                      answers store and the check rules date staleness
--                      by (both wrote it out before);
--   facts_as_of()      the item facts current at a moment, for the years
--                      asked: what the check rules compare (totals against
--                      breakdowns) and what tells the pack which
--                      deliveries are behind it (both read item_fact
--                      joined to the coverage themselves before).

-- The moment a reading refers to: the end of the --as-of day in Brussels
-- (as_of_moment), or, for the current data (NULL), the reading's own time
-- (now(): the start of its transaction, which every statement of one
-- snapshot shares).  as_of_moment() says which deliveries count; this one
-- says when the reader looked.
CREATE FUNCTION as_of_reference(d date) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN d IS NULL THEN now() ELSE as_of_moment(d) END
$$;

-- The item facts as they stood at p_asof, of the years p_y0 to p_y1: the
-- facts of the deliveries current then for their scope and delivery year
-- (coverage_as_of), every item and code, unsummed; of one offence as
-- figures() counts it when p_offence is given (THB: the facts of
-- trafficking, and those of items without an offence dimension, which
-- count trafficking only; SMUG: smuggling's), of every offence when NULL
-- (which deliveries are behind an output, never a figure).  A sql
-- function, inlined into the statement that calls it (the planner sees
-- item_fact and folds the branches of items a caller filters out); its
-- columns are named, not item_fact's row type, so that rebuilding the
-- item views (ciatteh_build_items) does not depend on it.
-- item_fact is made by the seeding after the migrations (and again when
-- items change): its body is checked when first called, not here.
SET check_function_bodies = off;
CREATE FUNCTION facts_as_of(p_asof timestamptz, p_y0 int, p_y1 int, p_offence text DEFAULT NULL)
RETURNS TABLE (delivery_id bigint, scope text, dyear int, item text, year int,
               offence text, form text, sex text, age_group text, citizenship text, nationality text,
               district text, centre text, referrer text, sector text, inspectorate text, decision text,
               sentence_band text, suspension text, document text,
               value bigint, n_records bigint, n_unknown bigint)
LANGUAGE sql STABLE AS $$
    SELECT f.delivery_id, f.scope, f.dyear, f.item, f.year,
           f.offence, f.form, f.sex, f.age_group, f.citizenship, f.nationality,
           f.district, f.centre, f.referrer, f.sector, f.inspectorate, f.decision,
           f.sentence_band, f.suspension, f.document,
           f.value::bigint, f.n_records::bigint, f.n_unknown::bigint
    FROM item_fact f
    JOIN coverage_as_of(p_asof) c ON c.delivery_id = f.delivery_id AND c.scope = f.scope AND c.year = f.dyear
    WHERE f.year BETWEEN p_y0 AND p_y1
      AND (p_offence IS NULL OR coalesce(f.offence, 'THB') = p_offence)
$$;
RESET check_function_bodies;

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
-- Per centre (the scope dimension, above): "the service" is the centres
-- asked, and with the scope dimension in p_by, "a year" is a year and a
-- centre, whose rows carry the centre's code.
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
CREATE OR REPLACE FUNCTION figures(p_item text, p_asof timestamptz, p_y0 int, p_y1 int,
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
    rel := 'item_fact_' || replace(it.code, '.', '_');

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
