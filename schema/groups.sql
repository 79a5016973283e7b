-- groups.sql — GENERATED from the service specs' group and sum lines
-- (etl/group_sql.c): do not edit; `make groups-sql` writes it again and
-- tests/unit/test_group.c fails when it and the specs disagree.  Applied
-- by the migrator after the migrations (schema/migrate.c): each service's
-- group table (made when missing) and group_SERVICE(d), its groups
-- counted again from a delivery's stored records.  A table's columns
-- change only through a migration of its own.

-- immigration (etl/specs/immigration.spec)
CREATE TABLE IF NOT EXISTS immigration_group (
    delivery_id bigint NOT NULL,
    scope text NOT NULL,
    dyear integer NOT NULL,
    year integer,
    procedure text,
    sex text,
    minor boolean,
    nationality text,
    document text,
    n bigint NOT NULL
);
CREATE OR REPLACE FUNCTION group_immigration(d bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO immigration_group
    SELECT d,
        '',
        yr(r.issue_date),
        yr(r.issue_date),
        r.procedure,
        r.sex,
        r.minor,
        r.nationality,
        r.document_type,
        count(*)
    FROM immigration_record r WHERE r.delivery_id = d
    GROUP BY 2, 3, 4, 5, 6, 7, 8, 9
$$;

-- inspectorates (etl/specs/inspectorates.spec)
CREATE TABLE IF NOT EXISTS inspectorates_group (
    delivery_id bigint NOT NULL,
    scope text NOT NULL,
    dyear integer NOT NULL,
    year integer,
    inspectorate text,
    sector text,
    n bigint NOT NULL,
    inspections bigint,
    inspections_known bigint NOT NULL,
    thb_reports bigint,
    thb_reports_known bigint NOT NULL,
    victims_referred bigint,
    victims_referred_known bigint NOT NULL
);
CREATE OR REPLACE FUNCTION group_inspectorates(d bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO inspectorates_group
    SELECT d,
        '',
        r.year,
        r.year,
        r.inspectorate,
        r.sector,
        count(*),
        sum(r.inspections), count(r.inspections),
        sum(r.thb_reports), count(r.thb_reports),
        sum(r.victims_referred), count(r.victims_referred)
    FROM inspectorates_record r WHERE r.delivery_id = d
    GROUP BY 2, 3, 4, 5, 6
$$;

-- police (etl/specs/police.spec)
CREATE TABLE IF NOT EXISTS police_group (
    delivery_id bigint NOT NULL,
    scope text NOT NULL,
    dyear integer NOT NULL,
    year integer,
    offence text,
    form text,
    district text,
    n bigint NOT NULL,
    suspects bigint,
    suspects_known bigint NOT NULL,
    victims bigint,
    victims_known bigint NOT NULL
);
CREATE OR REPLACE FUNCTION group_police(d bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO police_group
    SELECT d,
        '',
        yr(r.registration_date),
        yr(r.registration_date),
        r.offence,
        r.exploitation_form,
        r.district,
        count(*),
        sum(r.suspects), count(r.suspects),
        sum(r.victims), count(r.victims)
    FROM police_record r WHERE r.delivery_id = d
    GROUP BY 2, 3, 4, 5, 6, 7
$$;

-- prosecution (etl/specs/prosecution.spec)
CREATE TABLE IF NOT EXISTS prosecution_group (
    delivery_id bigint NOT NULL,
    scope text NOT NULL,
    dyear integer NOT NULL,
    entry_year integer,
    decision_year integer,
    offence text,
    form text,
    district text,
    decision text,
    n bigint NOT NULL,
    defendants bigint,
    defendants_known bigint NOT NULL
);
CREATE OR REPLACE FUNCTION group_prosecution(d bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO prosecution_group
    SELECT d,
        '',
        yr(r.entry_date),
        yr(r.entry_date),
        yr(r.decision_date),
        r.offence,
        r.exploitation_form,
        r.district,
        r.decision,
        count(*),
        sum(r.defendants), count(r.defendants)
    FROM prosecution_record r WHERE r.delivery_id = d
    GROUP BY 2, 3, 4, 5, 6, 7, 8, 9
$$;

-- shelters (etl/specs/shelters.spec)
CREATE TABLE IF NOT EXISTS shelters_group (
    delivery_id bigint NOT NULL,
    scope text NOT NULL,
    dyear integer NOT NULL,
    referral_year integer,
    admitted boolean,
    admission_year integer,
    referred_by text,
    sex text,
    age_group text,
    nationality text,
    form text,
    n bigint NOT NULL
);
CREATE OR REPLACE FUNCTION group_shelters(d bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO shelters_group
    SELECT d,
        r.centre,
        yr(r.referral_date),
        yr(r.referral_date),
        r.admitted,
        yr(r.admission_date),
        r.referred_by,
        r.sex,
        CASE WHEN r.age IS NULL OR r.age < 0 THEN NULL WHEN r.age < 18 THEN 'MINOR' ELSE 'ADULT' END,
        r.nationality,
        r.exploitation_form,
        count(*)
    FROM shelters_record r WHERE r.delivery_id = d
    GROUP BY 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
$$;

