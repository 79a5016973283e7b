-- 0001_core.sql — the warehouse's core: reference tables (filled from
-- schema/seed/*.csv by the migrator), deliveries and their history, and
-- item facts.  Nothing here is ever deleted by a load: a newer delivery
-- supersedes an older one through coverage_as_of(), it does not erase it.

-- Reference data (replaced wholesale from the seeds; hence no foreign keys
-- pointing at them).
CREATE TABLE service (
    code text PRIMARY KEY,
    sort int NOT NULL,
    label_en text NOT NULL, label_fr text NOT NULL, label_nl text NOT NULL,
    source_en text NOT NULL, source_fr text NOT NULL, source_nl text NOT NULL
);

CREATE TABLE item (
    code text PRIMARY KEY,
    sort int NOT NULL,
    service text NOT NULL,
    unit text NOT NULL,
    year_rule text NOT NULL,          -- the field whose year counts
    dims text NOT NULL,               -- comma-separated dimension codes
    kind text NOT NULL,               -- 'count' of records, or 'sum' of a value
    provisional text NOT NULL,        -- 'none' or 'registration_lag'
    label_en text NOT NULL, label_fr text NOT NULL, label_nl text NOT NULL,
    def_en text NOT NULL, def_fr text NOT NULL, def_nl text NOT NULL
);

CREATE TABLE dimension (
    code text PRIMARY KEY,
    sort int NOT NULL,
    list text NOT NULL,               -- code list holding its values ('' = free)
    label_en text NOT NULL, label_fr text NOT NULL, label_nl text NOT NULL
);

CREATE TABLE code (
    list text NOT NULL,
    code text NOT NULL,
    sort int NOT NULL,
    input boolean NOT NULL,           -- accepted in extracts (UNK, NA are not)
    label_en text NOT NULL, label_fr text NOT NULL, label_nl text NOT NULL,
    PRIMARY KEY (list, code)
);

-- Further accepted spellings of a code (besides the code and its labels).
CREATE TABLE code_alias (
    list text NOT NULL,
    code text NOT NULL,
    alias text NOT NULL
);

-- EU membership by year, for the citizenship group.
CREATE TABLE eu_member (
    country text PRIMARY KEY,         -- ISO 3166-1 alpha-2
    from_year int NOT NULL,
    to_year int                       -- last year of membership, NULL = member
);

-- Deliveries: one row per file loaded.  (service, sha256) is unique so the
-- same bytes twice change nothing.
CREATE TABLE delivery (
    id bigserial PRIMARY KEY,
    service text NOT NULL,
    file_name text NOT NULL,
    sha256 text NOT NULL,
    size_bytes bigint NOT NULL,
    encoding text NOT NULL,
    rows bigint NOT NULL DEFAULT 0,
    rejected_rows bigint NOT NULL DEFAULT 0,
    partial boolean NOT NULL DEFAULT false,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    loaded_by text NOT NULL DEFAULT current_user,
    os_user text NOT NULL DEFAULT '',
    reference_date date,              -- newest date of the lag field (convictions)
    lag_p95_days int,                 -- 95th percentile registration delay
    UNIQUE (service, sha256)
);

-- Which (scope, delivery year) each delivery covers.  scope is the centre
-- for shelters and '' for every other service.  replaces = the delivery
-- that was current for that year before this one.
CREATE TABLE delivery_year (
    delivery_id bigint NOT NULL REFERENCES delivery(id),
    service text NOT NULL,
    scope text NOT NULL,
    year int NOT NULL,
    rows bigint NOT NULL,
    replaces bigint REFERENCES delivery(id),
    PRIMARY KEY (delivery_id, scope, year)
);
CREATE INDEX delivery_year_lookup ON delivery_year (service, scope, year);

-- The delivery current for each (service, scope, year) at a moment.
CREATE FUNCTION coverage_as_of(asof timestamptz)
RETURNS TABLE (service text, scope text, year int, delivery_id bigint)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (dy.service, dy.scope, dy.year)
           dy.service, dy.scope, dy.year, dy.delivery_id
    FROM delivery_year dy JOIN delivery d ON d.id = dy.delivery_id
    WHERE d.loaded_at <= asof
    ORDER BY dy.service, dy.scope, dy.year, d.loaded_at DESC, d.id DESC
$$;

CREATE VIEW coverage_current AS SELECT * FROM coverage_as_of('infinity');

-- Item facts: the finest breakdown of every item for one delivery's
-- records of one (scope, delivery year).  A dimension column is NULL when
-- the item does not carry it and 'UNK' when the record left it unknown.
CREATE TABLE item_fact (
    delivery_id bigint NOT NULL,
    scope text NOT NULL,
    dyear int NOT NULL,
    item text NOT NULL,
    year int NOT NULL,
    offence text, form text, sex text, age_group text, citizenship text,
    nationality text, district text, centre text, referrer text, sector text,
    inspectorate text, decision text, sentence_band text, suspension text,
    document text,
    value bigint,                     -- sum over records whose value is known
    n_records bigint NOT NULL,        -- records behind the figure
    n_unknown bigint NOT NULL         -- of which the value is not known
);
CREATE INDEX item_fact_item_year ON item_fact (item, year);
CREATE INDEX item_fact_delivery ON item_fact (delivery_id);

-- Deliveries as users see them: what replaced what.
CREATE VIEW delivery_history AS
SELECT d.id, d.service, d.file_name, d.sha256, d.size_bytes, d.encoding,
       d.rows, d.rejected_rows, d.partial, d.loaded_at, d.loaded_by, d.os_user,
       (SELECT string_agg(DISTINCT y.year::text, ',' ORDER BY y.year::text)
          FROM delivery_year y WHERE y.delivery_id = d.id) AS years,
       (SELECT string_agg(DISTINCT y.scope, ',' ORDER BY y.scope)
          FROM delivery_year y WHERE y.delivery_id = d.id AND y.scope <> '') AS scopes,
       (SELECT string_agg(DISTINCT y.replaces::text, ',' ORDER BY y.replaces::text)
          FROM delivery_year y WHERE y.delivery_id = d.id AND y.replaces IS NOT NULL) AS replaces,
       (SELECT string_agg(DISTINCT n.delivery_id::text, ',' ORDER BY n.delivery_id::text)
          FROM delivery_year n WHERE n.replaces = d.id) AS replaced_by
FROM delivery d;

-- Reviewed spellings of nationalities that the ISO names leave open or get
-- wrong for Belgian usage ("RD Congo", "Turquie"); they outrank iso-codes.
CREATE TABLE country_alias (
    alias text PRIMARY KEY,
    country text NOT NULL
);
