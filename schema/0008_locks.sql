-- 0008_locks.sql — locks only ciatteh's roles can take, partitions that
-- never make readers wait, and convictions read by analysts in groups, not
-- one row per bulletin (issue 18, points 4, 5 and 8).
--
-- Locks.  The run and each service's loads were serialised by advisory
-- locks, which any role may take: an analyst's `pg_advisory_lock` stopped
-- every run, and the holder it showed (the session's application_name) was
-- whatever the analyst said.  They are now row locks on ciatteh_lock, a
-- table no role but the owner may read or write; ciatteh_lock() takes one
-- with the owner's rights after checking the caller (the session's role,
-- not an argument): the run's lock for administrators only, a service's
-- load lock for that service's loader and administrators.  A row lock
-- lives as long as the transaction that took it, so it goes with a killed
-- client as an advisory lock did.  The holder is named from the server's
-- own records (pg_stat_activity: the session user, the server process,
-- when its transaction began), never from anything the holder chose.
--
-- Partitions.  CREATE TABLE ... PARTITION OF takes ACCESS EXCLUSIVE on the
-- parent until commit, and conviction items read the parent: every
-- conviction query waited for a whole conviction load.  The partition is
-- now created on its own, with a CHECK that implies its bound (so ATTACH
-- has nothing to scan), and attached, which takes SHARE UPDATE EXCLUSIVE
-- on the parent: readers (ACCESS SHARE) never conflict with it.
--
-- Convictions.  convictions_fact gave analysts one row per bulletin.  It
-- now counts bulletins per combination of everything conviction items
-- break down by (the coarsest grain they need), with the same columns
-- (replaced in place, so whatever reads it, 0007's or 0012's item views,
-- reads the groups); the bulletins are convictions_bulletin, the owner's.

-- ------------------------------------------------------------ locks

CREATE TABLE ciatteh_lock (name text PRIMARY KEY);
INSERT INTO ciatteh_lock SELECT 'run' UNION ALL SELECT 'load.' || code FROM service;
REVOKE ALL ON ciatteh_lock FROM PUBLIC;

-- Take lock `what` ('run', or 'load.SERVICE') until the end of the
-- caller's transaction; with nowait, fail at once (55P03) when another
-- holds it, else wait (lock_timeout bounds the wait).  No EXCEPTION block:
-- the row lock must belong to the caller's top-level transaction, whose
-- id ciatteh_lock_holder() looks up.
CREATE FUNCTION ciatteh_lock(what text, nowait boolean DEFAULT false) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    s text;
    allowed boolean;
BEGIN
    IF what = 'run' THEN
        allowed := ciatteh_caller_is_admin();
    ELSIF what LIKE 'load.%' THEN
        s := pg_catalog.substr(what, 6);
        allowed := EXISTS (SELECT 1 FROM service WHERE code = s)
                   AND (ciatteh_caller_is_admin()
                        OR (EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'ciatteh_loader_' || s)
                            AND pg_catalog.pg_has_role(ciatteh_caller(), ('ciatteh_loader_' || s)::name, 'USAGE')));
    ELSE
        RAISE EXCEPTION 'no lock named %', what USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT allowed AND s IS NOT NULL THEN
        -- The words of the delivery check (0003), which a loader of another
        -- service met here before.
        RAISE EXCEPTION 'role % may not add deliveries of %', ciatteh_caller(), s
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'each service is loaded by its own role, ciatteh_loader_' || s;
    ELSIF NOT allowed THEN
        RAISE EXCEPTION 'role % may not take the lock %', ciatteh_caller(), what
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'the run lock is for administrators; a service''s load lock for its loader';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM ciatteh_lock WHERE name = what) THEN
        INSERT INTO ciatteh_lock VALUES (what) ON CONFLICT DO NOTHING;   -- a service added later
    END IF;
    IF nowait THEN
        PERFORM 1 FROM ciatteh_lock WHERE name = what FOR UPDATE NOWAIT;
    ELSE
        PERFORM 1 FROM ciatteh_lock WHERE name = what FOR UPDATE;
    END IF;
END $$;

-- Who holds lock `what`: "user U, server pid P, since T" from the
-- server's view of the session whose transaction locked the row; NULL when
-- nobody does (or the server does not let the owner see that session).
CREATE FUNCTION ciatteh_lock_holder(what text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT pg_catalog.format('user %s, server pid %s, since %s', a.usename, a.pid,
               pg_catalog.to_char(a.xact_start AT TIME ZONE 'Europe/Brussels', 'YYYY-MM-DD HH24:MI:SS'))
    FROM ciatteh_lock l JOIN pg_catalog.pg_stat_activity a ON a.backend_xid = l.xmax
    WHERE l.name = what
    LIMIT 1
$$;

-- ------------------------------------------------------------ partitions

CREATE OR REPLACE FUNCTION ciatteh_record_partition(d bigint) RETURNS text
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
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS, '
                   'CONSTRAINT %I CHECK (delivery_id IS NOT NULL AND delivery_id >= %s AND delivery_id < %s))',
                   part, s || '_record', part || '_bound', d, d + 1);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)',
                   s || '_record', part, d, d + 1);
    EXECUTE format('CREATE TRIGGER ciatteh_guard_open BEFORE INSERT ON %I FOR EACH STATEMENT '
                   'WHEN (CURRENT_USER <> %L) EXECUTE FUNCTION ciatteh_guard_statement(%L, %L)',
                   part, CURRENT_USER, s, seq);
    loader := 'ciatteh_loader_' || s;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = loader) THEN
        EXECUTE format('GRANT INSERT ON %I TO %I', part, loader);
    END IF;
    RETURN part;
END $$;

-- ------------------------------------------------------------ convictions

-- The bulletins, as 0007's convictions_fact showed them: the owner's only.
CREATE VIEW convictions_bulletin AS
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
REVOKE ALL ON convictions_bulletin FROM PUBLIC;

-- Same columns as before (the views of the conviction items read them,
-- and keep reading this view through the replacement), each a count or a
-- sum over its group; sums of values unknown in every bulletin of a group
-- stay NULL, as in the other services' groups.
CREATE OR REPLACE VIEW convictions_fact AS
SELECT delivery_id, scope, dyear, year, offence, form, sex, nationality, district, band, suspension,
       sum(n)::bigint AS n, sum(fined)::bigint AS fined, sum(fined_known)::bigint AS fined_known,
       sum(confiscations)::bigint AS confiscations,
       sum(confiscations_known)::bigint AS confiscations_known
FROM convictions_bulletin
GROUP BY delivery_id, scope, dyear, year, offence, form, sex, nationality, district, band, suspension;

-- ------------------------------------------------------------ lock down

REVOKE EXECUTE ON FUNCTION ciatteh_record_partition(bigint) FROM PUBLIC;

DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = 'delivery'::regclass)
               AND p.proname IN ('ciatteh_lock', 'ciatteh_lock_holder', 'ciatteh_record_partition') LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f,
                       (SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n
                          ON n.oid = c.relnamespace WHERE c.oid = 'delivery'::regclass));
    END LOOP;
END $$;
