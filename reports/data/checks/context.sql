-- context.sql — the relations every check rule reads (see README), a
-- list of common table expressions NAME AS [MATERIALIZED] (QUERY).  The
-- engine (reports/checks/check.c) makes each a temporary table (MATERIALIZED,
-- then analysed) or a temporary view, in this order, once for all rules;
-- on a hot standby, where nothing can be created (issue 18), it puts the
-- list in front of each rule's query instead (WITH <these>, <the rule's
-- own>).  The engine sets ciatteh.check_as_of (a date, or empty for the
-- current data), ciatteh.check_y0, ciatteh.check_y1 and
-- ciatteh.check_offence for its transaction; these read them.
check_ctx AS MATERIALIZED (
    SELECT t AS asof,
           as_of_reference(s.d) AS ref_time,
           current_setting('ciatteh.check_y0')::int AS y0,
           current_setting('ciatteh.check_y1')::int AS y1
    FROM (SELECT nullif(current_setting('ciatteh.check_as_of'), '')::date AS d) s,
         LATERAL as_of_moment(s.d) t
),
-- cur_coverage and cur_fact read the settings themselves, not check_ctx:
-- an expression of settings is a constant to the planner (an index scan
-- on the years), a join with check_ctx is not.
cur_coverage AS MATERIALIZED (
    SELECT c.service, c.scope, c.year, c.delivery_id
    FROM coverage_as_of(as_of_moment(nullif(current_setting('ciatteh.check_as_of'), '')::date)) c
),
-- The facts of the figure layer (facts_as_of, schema/0015), of the one
-- offence ciatteh.check_offence names (THB or SMUG: never the two added
-- together; the engine runs the rules once per offence asked): only the
-- years the rules read, those reported on and the year before
-- (year-over-year, admissions against the referrals of the year before).
-- A rule comparing with earlier years would widen this range.
cur_fact AS MATERIALIZED (
    SELECT f.*
    FROM facts_as_of(as_of_moment(nullif(current_setting('ciatteh.check_as_of'), '')::date),
                     current_setting('ciatteh.check_y0')::int - 1,
                     current_setting('ciatteh.check_y1')::int,
                     current_setting('ciatteh.check_offence')) f
),
-- One row per fact and declared dimension.  code is NULL when the fact
-- lacks a value for a dimension its item declares (a derivation fault).
cur_fact_dim AS (
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
    CROSS JOIN LATERAL unnest(string_to_array(i.dims, ',')) AS d(dim)
)
