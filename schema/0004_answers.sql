-- 0004_answers.sql — standard answers: every questionnaire export
-- (`ciatteh export`), kept so that what was sent can be shown again
-- exactly, and compared with the data now (`ciatteh answers --diff`).
-- Like deliveries, answers are only ever added: a trigger refuses UPDATE
-- and DELETE, for the owner too.

CREATE TABLE answer_set (
    id bigserial PRIMARY KEY,
    questionnaire text NOT NULL,
    ref_year int NOT NULL,
    as_of date,                        -- --as-of given, NULL = current data
    data_as_of timestamptz NOT NULL,   -- the moment the figures stood at
    deliveries text NOT NULL,          -- ids of the deliveries read, "1,4,7"
    threshold int NOT NULL,            -- disclosure threshold used
    lang text NOT NULL,
    format text NOT NULL,              -- xlsx, csv, sdmx-csv, text
    output_name text NOT NULL,         -- file written, or "-" (standard output)
    output bytea NOT NULL,             -- the exact bytes sent
    output_sha256 text NOT NULL,
    definition text NOT NULL,          -- the questionnaire definition as used
    definition_sha256 text NOT NULL,
    n_cells int NOT NULL,
    n_primary int NOT NULL,            -- withheld as small counts
    n_secondary int NOT NULL,          -- withheld to protect them
    program_version text NOT NULL,
    exported_at timestamptz NOT NULL DEFAULT now(),
    exported_by text NOT NULL DEFAULT current_user,
    os_user text NOT NULL DEFAULT ''
);
CREATE INDEX answer_set_lookup ON answer_set (questionnaire, ref_year, exported_at);

-- One row per answer (cell) of an export: what was published (value and
-- flags; a withheld cell has no value and flag c) and what the data said
-- (raw_value, raw_flags: needed to explain a change, never exported).
CREATE TABLE answer_value (
    set_id bigint NOT NULL REFERENCES answer_set(id),
    seq int NOT NULL,                  -- order in the questionnaire
    answer text NOT NULL,              -- TABLE.ROW.COL
    item text,                         -- NULL: not available
    year int NOT NULL,
    filters text NOT NULL,             -- "offence=THB sex=F"
    sdmx_key text,                     -- "A,VICT,F,..." when the questionnaire has one
    value bigint,                      -- published; NULL = not known or withheld
    flags text NOT NULL,               -- published flags (u p c)
    raw_value bigint,
    raw_flags text NOT NULL,
    sdc smallint NOT NULL,             -- 0 shown, 1 withheld small, 2 withheld to protect
    PRIMARY KEY (set_id, answer)
);

CREATE FUNCTION answers_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'standard answers are kept as sent: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER answer_set_append_only BEFORE UPDATE OR DELETE ON answer_set
    FOR EACH ROW EXECUTE FUNCTION answers_append_only();
CREATE TRIGGER answer_value_append_only BEFORE UPDATE OR DELETE ON answer_value
    FOR EACH ROW EXECUTE FUNCTION answers_append_only();

-- Analysts export and read answers (when 0003's roles exist).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'ciatteh_analyst') THEN
        GRANT SELECT, INSERT ON answer_set, answer_value TO ciatteh_analyst;
        GRANT USAGE ON SEQUENCE answer_set_id_seq TO ciatteh_analyst;
    END IF;
END $$;
