-- 0012_items.sql — items declared once, as data (issue 17).
--
-- What an item counts is now one row of schema/seed/item.csv: beside its
-- labels and dimensions, its source (a group table or view), the source's
-- column holding its year (`dyear`: the delivery's own year), its value,
-- its count of records whose value is not known, a filter, and the
-- `columns` whose expression is not the default (a dimension D carried by
-- the item reads coalesce(D, 'UNK'); citizenship is computed from the
-- nationality in the item's year).  ciatteh_build_items() below makes from
-- those rows what 0007 wrote by hand: one view per item (item_fact_CODE),
-- their union item_fact, security_invoker, the analysts' grant, and the
-- year rule item_in_delivery_year().  The migrator calls it after the
-- seeds are loaded (schema/migrate.c), so adding an item is adding a row.
--
-- The figures are those of 0007 (tests/schema/test_upgrade_items.sh and
-- tests/golden/ hold them equal).  Removed as dead: convictions_group_c and
-- immigration_group_c (the generated views join eu_member themselves),
-- citizenship() and age_group() of 0002 (nothing calls them since 0007).

-- (NULL = empty: an empty CSV field is NULL to COPY.)
ALTER TABLE item
    ADD COLUMN source text ,    -- group table or view read
    ADD COLUMN year text ,      -- its column holding the item's year
    ADD COLUMN value text ,     -- SQL expression: the value summed
    ADD COLUMN unknown text ,   -- SQL expression: records whose value is unknown
    ADD COLUMN filter text ,    -- SQL condition ('' = every row)
    ADD COLUMN columns text ;   -- 'dim=expression; ...' where not the default

-- The views of 0007 go now; the migrator makes them again from the new
-- declarations once item.csv is seeded, in this same transaction.
DO $$
DECLARE v text;
BEGIN
    DROP VIEW IF EXISTS item_fact;
    FOR v IN SELECT c.relname FROM pg_catalog.pg_class c
             WHERE c.relnamespace = (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = 'delivery'::regclass)
               AND c.relkind = 'v' AND c.relname LIKE 'item\_fact\_%' LOOP
        EXECUTE format('DROP VIEW %I', v);
    END LOOP;
END $$;
DROP VIEW convictions_group_c, immigration_group_c;
DROP FUNCTION citizenship(text, int), age_group(int);

-- Columns of item_fact, in order, and the dimensions among them.
CREATE FUNCTION ciatteh_item_dims() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['offence', 'form', 'sex', 'age_group', 'citizenship', 'nationality', 'district',
                 'centre', 'referrer', 'sector', 'inspectorate', 'decision', 'sentence_band',
                 'suspension', 'document']
$$;

-- The SELECT of one item's view, from its row of `item`.  The expressions
-- come from our own embedded seed (or a database owner's row), never from
-- outside data; names are quoted as identifiers all the same.
CREATE FUNCTION ciatteh_item_select(i item) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    dim text;
    expr text;
    sel text;
    src text;
    cond text[] := '{}';
    carried text[] := string_to_array(i.dims, ',');
    over text[][] := '{}';
    part text;
BEGIN
    IF coalesce(i.source, '') = '' OR coalesce(i.year, '') = '' OR coalesce(i.value, '') = '' OR coalesce(i.unknown, '') = '' THEN
        RAISE EXCEPTION 'item %: source, year, value and unknown are required (schema/seed/item.csv)', i.code;
    END IF;
    FOREACH part IN ARRAY regexp_split_to_array(coalesce(i.columns, ''), '\s*;\s*') LOOP
        CONTINUE WHEN btrim(part) = '';
        IF part !~ '^\s*[a-z_]+\s*=' THEN
            RAISE EXCEPTION 'item %: columns "%": expected dim=expression', i.code, part;
        END IF;
        over := over || ARRAY[[substring(part FROM '^\s*([a-z_]+)'), substring(part FROM '^[^=]*=\s*(.*)$')]];
    END LOOP;
    sel := format('SELECT delivery_id, scope, dyear, %L::text AS item, %I AS year', i.code, i.year);
    FOREACH dim IN ARRAY ciatteh_item_dims() LOOP
        expr := NULL;
        FOR k IN 1 .. coalesce(array_length(over, 1), 0) LOOP
            IF over[k][1] = dim THEN expr := over[k][2]; END IF;
        END LOOP;
        IF NOT dim = ANY (carried) THEN
            IF expr IS NOT NULL THEN
                RAISE EXCEPTION 'item %: columns names %, not one of its dims', i.code, dim;
            END IF;
            expr := 'NULL::text';
        ELSIF expr IS NULL THEN
            expr := CASE WHEN dim = 'citizenship' THEN 'citizenship' ELSE format('coalesce(%I, %L)', dim, 'UNK') END;
        END IF;
        sel := sel || format(', %s AS %I', expr, dim);
    END LOOP;
    sel := sel || format(', %s AS value, n AS n_records, %s AS n_unknown', i.value, i.unknown);
    -- Citizenship: of the nationality, in the item's year (one hash probe
    -- per group, not a subquery per row).
    IF 'citizenship' = ANY (carried) THEN
        src := format('(SELECT s.*, CASE WHEN s.nationality IS NULL THEN ''UNK'' WHEN s.nationality = ''BE'' THEN ''NAT'' '
                      'WHEN m.country IS NOT NULL THEN ''EU'' ELSE ''NONEU'' END AS citizenship '
                      'FROM %I s LEFT JOIN eu_member m ON m.country = s.nationality '
                      'AND m.from_year <= s.%I AND (m.to_year IS NULL OR m.to_year >= s.%I)) g',
                      i.source, i.year, i.year);
    ELSE
        src := format('%I g', i.source);
    END IF;
    IF coalesce(i.filter, '') <> '' THEN cond := cond || format('(%s)', i.filter); END IF;
    -- A record whose date of the item's year is not known is in no year.
    IF i.year <> 'dyear' THEN cond := cond || format('%I IS NOT NULL', i.year); END IF;
    sel := sel || ' FROM ' || src;
    IF cardinality(cond) > 0 THEN sel := sel || ' WHERE ' || array_to_string(cond, ' AND '); END IF;
    RETURN sel;
END $$;

-- Every item's view, their union and the year rule, from `item`.  Views
-- are made again rather than replaced (a column's type may change with
-- its expression); a view someone built on item_fact stops this loudly.
CREATE FUNCTION ciatteh_build_items() RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    i item;
    v text;
    u text[] := '{}';
    outside text[] := '{}';
    analyst boolean := EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'ciatteh_analyst');
BEGIN
    DROP VIEW IF EXISTS item_fact;
    FOR v IN SELECT c.relname FROM pg_catalog.pg_class c
             WHERE c.relnamespace = (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = 'delivery'::regclass)
               AND c.relkind = 'v' AND c.relname LIKE 'item\_fact\_%' LOOP
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
REVOKE EXECUTE ON FUNCTION ciatteh_build_items(), ciatteh_item_select(item) FROM PUBLIC;
