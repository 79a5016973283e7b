-- context.sql — what every check rule reads (see README).  Run by the
-- check engine inside its transaction, after it has filled check_ctx;
-- everything here is temporary and disappears with the rollback.

CREATE TEMP TABLE cur_coverage AS
    SELECT c.service, c.scope, c.year, c.delivery_id
    FROM check_ctx x, LATERAL coverage_as_of(x.asof) c;
-- Before cur_fact, so that its join is planned with the real row counts
-- (an index scan on the years, not a pass over every fact).
ANALYZE check_ctx;
ANALYZE cur_coverage;

-- Only the years the rules read: those reported on and the year before
-- (year-over-year, admissions against the referrals of the year before).
-- A rule comparing with earlier years would widen this range.
CREATE TEMP TABLE cur_fact AS
    SELECT f.*
    FROM item_fact f
    JOIN cur_coverage c ON c.delivery_id = f.delivery_id AND c.scope = f.scope
                       AND c.year = f.dyear
    CROSS JOIN check_ctx x
    WHERE f.year BETWEEN x.y0 - 1 AND x.y1;
-- The columns the rules filter on; the full ANALYZE cost more than the
-- rules it helped plan.
ANALYZE cur_fact (item, year);

-- One row per fact and declared dimension.  code is NULL when the fact
-- lacks a value for a dimension its item declares (a derivation fault).
CREATE TEMP VIEW cur_fact_dim AS
    SELECT f.item, i.service, f.year, f.scope, d.dim,
           CASE d.dim
               WHEN 'offence' THEN f.offence WHEN 'form' THEN f.form
               WHEN 'sex' THEN f.sex WHEN 'age_group' THEN f.age_group
               WHEN 'citizenship' THEN f.citizenship WHEN 'nationality' THEN f.nationality
               WHEN 'district' THEN f.district WHEN 'centre' THEN f.centre
               WHEN 'referrer' THEN f.referrer WHEN 'sector' THEN f.sector
               WHEN 'inspectorate' THEN f.inspectorate WHEN 'decision' THEN f.decision
               WHEN 'sentence_band' THEN f.sentence_band WHEN 'suspension' THEN f.suspension
               WHEN 'document' THEN f.document
           END AS code,
           f.offence, f.value, f.n_records, f.n_unknown
    FROM cur_fact f
    JOIN item i ON i.code = f.item
    CROSS JOIN LATERAL unnest(string_to_array(i.dims, ',')) AS d(dim);
