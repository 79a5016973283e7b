-- 0003_access.sql — who may see or change what.
--
-- Roles (created by ciatteh_setup_roles(), below; PostgreSQL roles belong
-- to the whole server, so several ciatteh databases on one server share
-- them):
--   ciatteh_loader_<service>  one per service: adds deliveries of its own
--                             service, and nothing else; reads only its own
--                             deliveries, never another service's records
--   ciatteh_analyst           reads items, coverage, the catalogue and the
--                             delivery history; never a record table
--   ciatteh_admin             an analyst and every loader, reads record
--                             tables, back-fills history (--loaded-at) and
--                             re-derives items; deletes nothing
-- The owner of the tables (who runs the migrations and the seeds; the
-- private cluster's `ciatteh`) is not subject to row-level security.
--
-- How each rule is enforced, and why there:
--   delivery, delivery_year, item_fact  row-level security (policies below)
--                             plus column privileges: a loader inserts only
--                             its service's rows, dated now, and updates the
--                             row counts of a delivery it is adding in this
--                             transaction only; it deletes nothing.
--   <service>_record          table privileges (one table per service, so a
--                             loader reaches its own table only) plus a guard
--                             trigger: rows go into, or out of, only a
--                             delivery of that service being added in the
--                             current transaction.  Row-level security is
--                             not usable here: PostgreSQL refuses COPY FROM
--                             into a table with row-level security, and the
--                             loader streams records with COPY.  The trigger
--                             is an AFTER ROW trigger whose WHEN skips the
--                             owner, so the owner's COPY keeps its batched
--                             inserts and pays one comparison per row.
--   item_fact                 written only by derive_items(), a SECURITY
--                             DEFINER function that derives a delivery the
--                             caller is adding in this transaction (or any
--                             delivery, for the owner and ciatteh_admin).
-- "Being added in this transaction" is `xmin = pg_current_xact_id()`: the
-- delivery row was written by the caller's own, still open transaction,
-- which it could only do for its own service.
--
-- Functions that run with the owner's rights get a fixed search_path with
-- pg_temp last, so a temporary table cannot stand in for one of ours.

-- ------------------------------------------------------------ helpers

-- Is the current user a member of role r (with its privileges)?  False,
-- not an error, when r does not exist.
CREATE FUNCTION ciatteh_in_role(r text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r)
                THEN pg_catalog.pg_has_role(r::name, 'USAGE') ELSE false END
$$;

-- Does the current user own the warehouse (or is it a superuser)?
CREATE FUNCTION ciatteh_is_owner() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT pg_catalog.pg_has_role(c.relowner, 'USAGE')
    FROM pg_catalog.pg_class c WHERE c.oid = 'delivery'::regclass
$$;

-- May the current user add deliveries of service s?
CREATE FUNCTION ciatteh_may_load(s text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT ciatteh_is_owner() OR ciatteh_in_role('ciatteh_loader_' || s)
$$;

-- May the current user read every service's deliveries and items?
CREATE FUNCTION ciatteh_may_read() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT ciatteh_is_owner() OR ciatteh_in_role('ciatteh_analyst') OR ciatteh_in_role('ciatteh_admin')
$$;

-- Is the current user an administrator (owner, superuser, ciatteh_admin)?
CREATE FUNCTION ciatteh_is_admin() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT ciatteh_is_owner() OR ciatteh_in_role('ciatteh_admin')
$$;

-- Inside a SECURITY DEFINER function current_user is the owner; the role
-- that called it is the session's (SET ROLE) role, else the login role.
CREATE FUNCTION ciatteh_caller() RETURNS name
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN pg_catalog.current_setting('role') IN ('none', '') THEN session_user
                ELSE pg_catalog.current_setting('role')::name END
$$;

CREATE FUNCTION ciatteh_caller_is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = ciatteh_caller()), false)
        OR pg_catalog.pg_has_role(ciatteh_caller(),
               (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 'delivery'::regclass), 'USAGE')
        OR (EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'ciatteh_admin')
            AND pg_catalog.pg_has_role(ciatteh_caller(), 'ciatteh_admin', 'USAGE'))
$$;

-- Was delivery d written by the current, still open transaction?
CREATE FUNCTION ciatteh_delivery_open(d bigint, s text DEFAULT NULL) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER AS $$
    SELECT EXISTS (SELECT 1 FROM delivery
                   WHERE id = d AND (s IS NULL OR service = s)
                     AND xmin = pg_catalog.pg_current_xact_id()::xid)
$$;

-- ------------------------------------------------------------ deliveries

-- A clear refusal before the row-level security check's generic one.
CREATE FUNCTION ciatteh_check_delivery() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT ciatteh_may_load(NEW.service) THEN
        RAISE EXCEPTION 'role % may not add deliveries of %', current_user, NEW.service
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'each service is loaded by its own role, ciatteh_loader_' || NEW.service;
    END IF;
    IF NEW.loaded_at IS DISTINCT FROM pg_catalog.transaction_timestamp() AND NOT ciatteh_is_admin() THEN
        RAISE EXCEPTION 'role % may not record a delivery at another time than now (--loaded-at is for ciatteh_admin)',
                        current_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER ciatteh_check_delivery BEFORE INSERT ON delivery
    FOR EACH ROW EXECUTE FUNCTION ciatteh_check_delivery();

ALTER TABLE delivery ENABLE ROW LEVEL SECURITY;
CREATE POLICY delivery_read ON delivery FOR SELECT
    USING (ciatteh_may_read() OR ciatteh_may_load(service));
CREATE POLICY delivery_add ON delivery FOR INSERT
    WITH CHECK (ciatteh_may_load(service));
CREATE POLICY delivery_count ON delivery FOR UPDATE
    USING (ciatteh_may_load(service) AND xmin = pg_catalog.pg_current_xact_id()::xid)
    WITH CHECK (ciatteh_may_load(service));

ALTER TABLE delivery_year ENABLE ROW LEVEL SECURITY;
CREATE POLICY delivery_year_read ON delivery_year FOR SELECT
    USING (ciatteh_may_read() OR ciatteh_may_load(service));
CREATE POLICY delivery_year_add ON delivery_year FOR INSERT
    WITH CHECK (ciatteh_may_load(service) AND ciatteh_delivery_open(delivery_id, service));

-- Item facts: read by analysts (a one-time check, not one per row), written
-- only through derive_items().
ALTER TABLE item_fact ENABLE ROW LEVEL SECURITY;
CREATE POLICY item_fact_read ON item_fact FOR SELECT USING (ciatteh_may_read());

-- Views read with the reader's rights, so the policies above apply to them.
ALTER VIEW delivery_history SET (security_invoker = true);
ALTER VIEW coverage_current SET (security_invoker = true);

-- ------------------------------------------------------------ records

-- Row check (a row that is not for the session's newest delivery, or a
-- row taken out): the delivery must be one of this service being added in
-- this transaction.
CREATE FUNCTION ciatteh_guard_record() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    d bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN d := OLD.delivery_id; ELSE d := NEW.delivery_id; END IF;
    IF NOT ciatteh_delivery_open(d, TG_ARGV[0]) THEN
        RAISE EXCEPTION 'role % may change % only for a % delivery it is adding in this transaction (not delivery %)',
                        ciatteh_caller(), TG_TABLE_NAME, TG_ARGV[0], d
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NULL;
END $$;

-- Statement check, once per INSERT or COPY: the session's newest delivery
-- (currval of the delivery sequence: set only by this session's own
-- nextval, and a loader may not setval) must be one of this service being
-- added in this transaction.  Rows for that delivery then need no check of
-- their own: the row trigger's WHEN skips them, so a loader's COPY pays one
-- comparison per row, not a query.
CREATE FUNCTION ciatteh_guard_statement() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    d bigint;
BEGIN
    BEGIN
        d := pg_catalog.currval(TG_ARGV[1]::regclass);
    EXCEPTION WHEN object_not_in_prerequisite_state THEN
        d := NULL;   -- no delivery added in this session
    END;
    IF d IS NULL OR NOT ciatteh_delivery_open(d, TG_ARGV[0]) THEN
        RAISE EXCEPTION 'role % may add to % only while adding a % delivery in this transaction',
                        ciatteh_caller(), TG_TABLE_NAME, TG_ARGV[0]
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END $$;

-- Guard triggers on every record table (idempotent; called again by
-- ciatteh_setup_roles() so a later service's table gets them too).  The
-- owner is skipped by WHEN, evaluated without calling any function.
CREATE FUNCTION ciatteh_guard_records() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    seq text := pg_catalog.pg_get_serial_sequence(
                    (SELECT 'delivery'::regclass::text), 'id');
BEGIN
    FOR t IN SELECT c.relname, pg_catalog.pg_get_userbyid(c.relowner) AS owner,
                    pg_catalog.left(c.relname, -7) AS service
             FROM pg_catalog.pg_class c
             WHERE c.relnamespace = (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = 'delivery'::regclass)
               AND c.relkind = 'r' AND c.relname LIKE '%\_record'
             ORDER BY 1 LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER ciatteh_guard_open BEFORE INSERT ON %I FOR EACH STATEMENT '
                       'WHEN (CURRENT_USER <> %L) EXECUTE FUNCTION ciatteh_guard_statement(%L, %L)',
                       t.relname, t.owner, t.service, seq);
        EXECUTE format('CREATE OR REPLACE TRIGGER ciatteh_guard_add AFTER INSERT ON %I FOR EACH ROW '
                       'WHEN (CURRENT_USER <> %L AND NEW.delivery_id IS DISTINCT FROM pg_catalog.currval(%L::regclass)) '
                       'EXECUTE FUNCTION ciatteh_guard_record(%L)',
                       t.relname, t.owner, seq, t.service);
        EXECUTE format('CREATE OR REPLACE TRIGGER ciatteh_guard_take BEFORE DELETE ON %I FOR EACH ROW '
                       'WHEN (CURRENT_USER <> %L) EXECUTE FUNCTION ciatteh_guard_record(%L)',
                       t.relname, t.owner, t.service);
    END LOOP;
END $$;
SELECT ciatteh_guard_records();

-- ------------------------------------------------------------ derivation

ALTER FUNCTION derive_items(bigint) RENAME TO derive_items_unchecked;

CREATE FUNCTION derive_items(d bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF NOT (ciatteh_delivery_open(d) OR ciatteh_caller_is_admin()) THEN
        RAISE EXCEPTION 'role % may derive the items of a delivery it is adding in this transaction only (not delivery %)',
                        ciatteh_caller(), d USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM derive_items_unchecked(d);
END $$;

-- ------------------------------------------------------------ roles

-- Reference data (a table filled from schema/seed/TABLE.csv) is read by
-- every role: loaders match codes and countries against it, analysts label
-- figures with it.  Granted when a seed is loaded, so a new reference
-- table needs no change here.
CREATE FUNCTION ciatteh_grant_seed(path text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    tbl text := pg_catalog.regexp_replace(path, '^.*/|\.csv$', '', 'g');
    schema_name text := (SELECT n.nspname FROM pg_catalog.pg_class c
                         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                         WHERE c.oid = 'delivery'::regclass);
    r text;
BEGIN
    IF tbl LIKE '%\_record' OR to_regclass(format('%I.%I', schema_name, tbl)) IS NULL THEN
        RETURN;
    END IF;
    FOR r IN SELECT rolname FROM pg_catalog.pg_roles
             WHERE rolname = 'ciatteh_analyst' OR rolname LIKE 'ciatteh\_loader\_%' ORDER BY 1 LOOP
        EXECUTE format('GRANT SELECT ON %I.%I TO %I', schema_name, tbl, r);
    END LOOP;
END $$;

CREATE FUNCTION ciatteh_seed_granted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ciatteh_grant_seed(NEW.path);
    RETURN NULL;
END $$;
CREATE TRIGGER ciatteh_seed_granted AFTER INSERT OR UPDATE ON ciatteh_seed
    FOR EACH ROW EXECUTE FUNCTION ciatteh_seed_granted();

-- Create the roles (when missing) and (re)grant what each may do.  Run by
-- the migration when its user may create roles, and by `ciatteh admin
-- roles`.  Returns one line per role.
CREATE FUNCTION ciatteh_setup_roles() RETURNS TABLE (role text, may text)
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
                                  'ciatteh_migration', 'ciatteh_seed'];
    loader_reads text[] := ARRAY['code', 'code_alias', 'service', 'item', 'dimension',
                                 'delivery_history', 'ciatteh_migration', 'ciatteh_seed'];
BEGIN
    PERFORM ciatteh_guard_records();
    FOR r IN SELECT unnest(ARRAY['ciatteh_analyst', 'ciatteh_admin']) UNION ALL
             SELECT 'ciatteh_loader_' || pg_catalog.left(c.relname, -7)
             FROM pg_catalog.pg_class c
             WHERE c.relnamespace = schema_name::regnamespace AND c.relkind = 'r'
               AND c.relname LIKE '%\_record' LOOP
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
    role := 'ciatteh_analyst';
    may := 'reads items, coverage, the catalogue and the delivery history; no record table';
    RETURN NEXT;

    FOR t IN SELECT c.relname, pg_catalog.left(c.relname, -7) AS service
             FROM pg_catalog.pg_class c
             WHERE c.relnamespace = schema_name::regnamespace AND c.relkind = 'r'
               AND c.relname LIKE '%\_record' ORDER BY 1 LOOP
        r := 'ciatteh_loader_' || t.service;
        IF r !~ '^ciatteh_[a-z][a-z0-9_]*$' THEN CONTINUE; END IF;
        FOREACH ro IN ARRAY loader_reads LOOP
            IF to_regclass(format('%I.%I', schema_name, ro)) IS NOT NULL THEN
                EXECUTE format('GRANT SELECT ON %I.%I TO %I', schema_name, ro, r);
            END IF;
        END LOOP;
        EXECUTE format('GRANT SELECT, INSERT (service, file_name, sha256, size_bytes, encoding, loaded_at, os_user), '
                       'UPDATE (rows, rejected_rows, partial) ON %I.delivery TO %I', schema_name, r);
        EXECUTE format('GRANT SELECT, INSERT ON %I.delivery_year TO %I', schema_name, r);
        EXECUTE format('GRANT USAGE ON SEQUENCE %I.delivery_id_seq TO %I', schema_name, r);
        EXECUTE format('GRANT SELECT, INSERT, DELETE ON %I.%I TO %I', schema_name, t.relname, r);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %I.derive_items(bigint) TO %I', schema_name, r);
        EXECUTE format('GRANT SELECT ON %I.%I TO ciatteh_admin', schema_name, t.relname);
        EXECUTE format('GRANT %I TO ciatteh_admin', r);
        role := r;
        may := format('adds deliveries of %s (its own rows of delivery, delivery_year and %s); reads its own deliveries',
                      t.service, t.relname);
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

-- Owner-only functions.
REVOKE EXECUTE ON FUNCTION derive_items_unchecked(bigint), rederive_all(),
    derive_police(bigint), derive_prosecution(bigint), derive_inspectorates(bigint),
    derive_shelters(bigint), derive_convictions(bigint), derive_immigration(bigint),
    ciatteh_setup_roles(), ciatteh_guard_records(), ciatteh_grant_seed(text),
    ciatteh_seed_granted() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION derive_items(bigint) FROM PUBLIC;

-- Fixed search_path (ours, then pg_temp last) for every function of this
-- file: a temporary table must never stand in for one of ours.
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

-- The roles, when this migration's user may create them (the private
-- cluster's owner may); else `ciatteh admin roles`, run by one who may.
DO $$
BEGIN
    IF (SELECT rolsuper OR rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
        PERFORM ciatteh_setup_roles();
    ELSE
        RAISE NOTICE 'ciatteh roles not created: run `ciatteh admin roles` as a user with CREATEROLE';
    END IF;
END $$;
