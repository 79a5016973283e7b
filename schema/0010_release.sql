-- 0010_release.sql — releases: everything that leaves the warehouse for a
-- reference year (the Eurostat, GRETA and TIP answers) shares one
-- disclosure-control pattern, computed over all of their figures together
-- and kept here, so that every output applies the same pattern and a later
-- release of the same year (after a corrected delivery) can keep it
-- (docs/QUESTIONNAIRES.md, "Releases").  Like answers, releases are only
-- ever added.  Which withheld figures are small counts (status 1) and
-- which protect them (2) is internal: no output says it.

CREATE TABLE release (
    id bigserial PRIMARY KEY,
    ref_year int NOT NULL,
    threshold int NOT NULL,            -- counts of persons 1..threshold withheld
    width int NOT NULL,                -- values every withheld interval holds (3)
    as_of date,                        -- --as-of given, NULL = current data
    data_as_of timestamptz NOT NULL,   -- the moment the figures stood at
    deliveries text NOT NULL,          -- ids of the deliveries behind any figure, "1,4,7"
    outputs text NOT NULL,             -- the questionnaires it covers, "eurostat,greta,tip"
    n_cells int NOT NULL,
    n_withheld int NOT NULL,
    program_version text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT current_user
);
CREATE INDEX release_lookup ON release (ref_year, created_at);

-- One row per figure of the release: its box (item, year, filters as
-- "dim=CODE,CODE dim=CODE", sorted), whether it is withheld, and the value
-- published (NULL when withheld or not known).  Figures an earlier
-- release of the same years published are part of it too (fixed = 1):
-- an outsider knows them.
CREATE TABLE release_cell (
    release_id bigint NOT NULL REFERENCES release(id),
    item text NOT NULL,
    year int NOT NULL,
    filters text NOT NULL,
    label text NOT NULL,               -- where it appears: "eurostat victims_sex.F.total"
    status smallint NOT NULL,          -- 0 published, 1 withheld (small), 2 withheld (complement)
    fixed smallint NOT NULL,           -- 0 free, 1 published before, 2 withheld before
    known boolean NOT NULL,
    value bigint,                      -- published value
    lo bigint,                         -- withheld: the outsider's interval at release time
    hi bigint,                         -- NULL: no upper bound
    PRIMARY KEY (release_id, item, year, filters)
);

CREATE FUNCTION release_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'releases are kept as published: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER release_append_only BEFORE UPDATE OR DELETE ON release
    FOR EACH ROW EXECUTE FUNCTION release_append_only();
CREATE TRIGGER release_cell_append_only BEFORE UPDATE OR DELETE ON release_cell
    FOR EACH ROW EXECUTE FUNCTION release_append_only();

-- Analysts build releases when they export (and read the earlier ones,
-- which fix the pattern); `ciatteh release` itself is for the admin role.
CREATE FUNCTION ciatteh_grant_release() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    schema_name text := (SELECT n.nspname FROM pg_catalog.pg_class c
                         JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                         WHERE c.oid = 'release'::regclass);
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'ciatteh_analyst') THEN
        EXECUTE format('GRANT SELECT, INSERT ON %I.release, %I.release_cell TO ciatteh_analyst',
                       schema_name, schema_name);
        EXECUTE format('GRANT USAGE ON SEQUENCE %I.release_id_seq TO ciatteh_analyst', schema_name);
    END IF;
END $$;
SELECT ciatteh_grant_release();

-- `ciatteh admin roles` (ciatteh_setup_roles) grants the same: the
-- function as it was, then the release tables.
ALTER FUNCTION ciatteh_setup_roles() RENAME TO ciatteh_setup_roles_before_release;
CREATE FUNCTION ciatteh_setup_roles() RETURNS TABLE (role text, may text)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY SELECT * FROM ciatteh_setup_roles_before_release();
    PERFORM ciatteh_grant_release();
END $$;
