-- talent_flows_by_cohort: talent_flows split by cohort (the first observed
-- year; talent_flow_parts added up), shares within the cohort. Each row
-- carries its replicate (countries.sql says more). Sorted by cohort, then
-- authors descending, then origin and current.
WITH f AS (
    SELECT cohort, origin, current, replicate, SUM(authors) AS authors
    FROM talent_flow_parts
    GROUP BY cohort, origin, current, replicate
),
o AS (
    SELECT cohort, origin, replicate, SUM(authors) AS authors
    FROM f
    GROUP BY cohort, origin, replicate
)
SELECT f.origin, f.current, f.authors, f.cohort,
       CAST(f.authors AS DOUBLE) / NULLIF(o.authors, 0) AS share_of_origin,
       f.replicate
FROM f
JOIN o ON o.cohort = f.cohort AND o.origin = f.origin AND o.replicate = f.replicate
ORDER BY f.cohort, f.authors DESC, f.origin, f.current
