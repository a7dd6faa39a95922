-- authorship_shares: the fractional counting rule, the one definition every
-- fractional count in talentchain reads.
--
-- A work's weight 1 is split equally among its authorships that have at
-- least one unit of a kind, and each such authorship's part equally among
-- its units. Authorships without a unit of the kind are ignored, so the
-- parts of a work with any unit of the kind sum to 1. Two kinds:
--   'country'      the authorship's countries (authorship_countries: its own
--                  `countries` and its institutions' country codes, each once)
--   'institution'  the authorship's institutions (authorship_institutions);
--                  an institution listed twice in an authorship counts once,
--                  with the greater of its countries
--
-- One row per work, authorship position, kind and unit:
--   unit              the country code or the institution id
--   country           the unit's country (an institution's as given in the work)
--   authorship_share  the unit's part of the authorship: 1 / its units
--   work_share        the unit's part of the work
WITH units AS (
    SELECT work, position, 'country' AS kind, country AS unit, country
    FROM authorship_countries
    UNION ALL
    SELECT work, position, 'institution' AS kind, institution AS unit, MAX(country) AS country
    FROM authorship_institutions
    GROUP BY work, position, institution
),
per_authorship AS (
    SELECT work, position, kind, COUNT(*) AS n_units
    FROM units
    GROUP BY work, position, kind
),
per_work AS (
    SELECT work, kind, COUNT(*) AS n_authorships
    FROM per_authorship
    GROUP BY work, kind
)
SELECT u.work, u.position, u.kind, u.unit, u.country,
       1.0 / CAST(a.n_units AS DOUBLE) AS authorship_share,
       1.0 / CAST(w.n_authorships * a.n_units AS DOUBLE) AS work_share
FROM units u
JOIN per_authorship a ON a.work = u.work AND a.position = u.position AND a.kind = u.kind
JOIN per_work w ON w.work = u.work AND w.kind = u.kind
