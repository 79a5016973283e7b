-- 0011_registered_victims.sql — owns the item shelter.victims_registered:
-- Eurostat's and GRETA's "registered victims", identified and presumed,
-- from the specialised centres' records (no new data; the shelters'
-- groups of 0007 already carry whether a person was taken into care).
--
--   victim_status IDENTIFIED  taken into care as a victim (the victim
--                             status goes through the centres), counted in
--                             the year of admission: shelter.victims_admitted;
--   victim_status PRESUMED    referred to a centre and not taken into care
--                             (Eurostat: met the criteria but not formally
--                             identified, or declined), counted in the year
--                             of referral.
--
-- Every person referred is counted once: either admitted or not.  Their
-- sum is the registered victims.  The inspectorates' "potential victims
-- referred" are not added: they are referred to the police or to these
-- centres, so those who reach a centre are already counted, and their
-- extract has no sex, age, citizenship or form.
--
-- The item has its own view (what `ciatteh query` reads) but is not part
-- of item_fact, the union the checks and the pack's coverage test read:
-- the union has no victim_status column, and both parts are there
-- already (shelter.victims_admitted; shelter.referrals holds the others).
-- Existing figures are unchanged.

CREATE VIEW item_fact_shelter_victims_registered AS
SELECT delivery_id, scope, dyear, 'shelter.victims_registered'::text AS item, year,
       NULL::text AS offence, coalesce(form, 'UNK') AS form, coalesce(sex, 'UNK') AS sex,
       coalesce(age_group, 'UNK') AS age_group, citizenship, coalesce(nationality, 'UNK') AS nationality,
       NULL::text AS district, scope AS centre, coalesce(referred_by, 'UNK') AS referrer,
       NULL::text AS sector, NULL::text AS inspectorate, NULL::text AS decision,
       NULL::text AS sentence_band, NULL::text AS suspension, NULL::text AS document,
       victim_status, n AS value, n AS n_records, 0::bigint AS n_unknown
FROM (SELECT g.*, s.year, s.victim_status,
             CASE WHEN g.nationality IS NULL THEN 'UNK' WHEN g.nationality = 'BE' THEN 'NAT'
                  WHEN m.country IS NOT NULL THEN 'EU' ELSE 'NONEU' END AS citizenship
      FROM shelters_group g
      CROSS JOIN LATERAL (SELECT CASE WHEN g.admitted THEN g.admission_year ELSE g.referral_year END,
                                 CASE WHEN g.admitted THEN 'IDENTIFIED' ELSE 'PRESUMED' END)
                         AS s(year, victim_status)
      LEFT JOIN eu_member m ON m.country = g.nationality
           AND m.from_year <= s.year AND (m.to_year IS NULL OR m.to_year >= s.year)
      WHERE s.year IS NOT NULL) g;
ALTER VIEW item_fact_shelter_victims_registered SET (security_invoker = true);

-- Analysts read every item's view (ciatteh_roles() grants them by name
-- when the roles are (re)made; this grants it on databases that have
-- them already).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'ciatteh_analyst') THEN
        EXECUTE 'GRANT SELECT ON item_fact_shelter_victims_registered TO ciatteh_analyst';
    END IF;
END $$;

-- Counted partly by the admission date: a figure of year Y may come from
-- a delivery of an earlier year (as shelter.victims_admitted).
CREATE OR REPLACE FUNCTION item_in_delivery_year(code text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT code NOT IN ('prosecution.cases_prosecuted', 'prosecution.defendants_prosecuted',
                        'prosecution.cases_dismissed', 'shelter.victims_admitted',
                        'shelter.victims_registered')
$$;
