-- 0013_stamp.sql — a delivery is dated when it commits, not when its
-- transaction began (issue 18).  A load that began at T0 and commits at
-- T1 used to carry loaded_at = T0: an --as-of answer for a moment between
-- T0 and T1, given before the commit, changed after it.  The loader now
-- stamps its delivery with the clock as the very last statement before
-- COMMIT (etl/load.c), through this function: loaders may not write
-- loaded_at themselves (0003), and the function can only set it to the
-- clock, only on a delivery the caller's own open transaction inserted —
-- so it is left executable by everyone (an analyst's call changes nothing).
CREATE FUNCTION ciatteh_stamp_delivery(d bigint) RETURNS timestamptz
LANGUAGE sql VOLATILE SECURITY DEFINER AS $$
    UPDATE delivery SET loaded_at = pg_catalog.clock_timestamp()
    WHERE id = d AND xmin = pg_catalog.pg_current_xact_id()::xid
    RETURNING loaded_at
$$;

-- Fixed search_path, 0003's rule: a temporary table must never stand in
-- for delivery.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION ciatteh_stamp_delivery(bigint) SET search_path = %I, pg_temp',
                   (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n
                      ON n.oid = c.relnamespace WHERE c.oid = 'delivery'::regclass));
END $$;
