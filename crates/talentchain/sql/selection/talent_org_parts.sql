-- talent_org_parts: each researcher's part in talent_orgs, the rows it
-- adds up: one row per researcher in scope with an origin (the resampling
-- unit of the talent metrics' intervals) and organisation with at least
-- one of their career years (career_institutions; with `rollup`, the
-- institution's lineage root), with the researcher's origin, researchers
-- 1 and replicate 0, the data as observed (country_parts says more).
WITH researcher_orgs AS (
    SELECT DISTINCT CASE WHEN $rollup THEN COALESCE(e.lineage_root, i.institution) ELSE i.institution END AS org,
           i.author
    FROM career_institutions i
    JOIN talent_authors t ON t.author = i.author
    LEFT JOIN institutions e ON e.id = i.institution
)
SELECT ro.author, ro.org, t.origin,
       CAST(1 AS BIGINT) AS researchers,
       CAST(0 AS INT) AS replicate
FROM researcher_orgs ro
JOIN talent_authors t ON t.author = ro.author
