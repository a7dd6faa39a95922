-- talent_flows_by_cohort: talent_flows split by cohort (the first observed
-- year; talent_flow_parts added up), shares within the cohort. Each row
-- carries its replicate (countries.sql says more). Sorted by cohort, then
-- authors descending, then origin and current.
SELECT origin, current, SUM(authors) AS authors, cohort,
       CAST(SUM(authors) AS DOUBLE)
           / NULLIF(SUM(SUM(authors)) OVER (PARTITION BY cohort, origin, replicate), 0) AS share_of_origin,
       replicate
FROM talent_flow_parts
GROUP BY cohort, origin, current, replicate
ORDER BY cohort, authors DESC, origin, current
