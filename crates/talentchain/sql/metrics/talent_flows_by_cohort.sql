-- talent_flows_by_cohort: talent_flows split by cohort (the first observed
-- year), shares within the cohort. Sorted by cohort, then authors
-- descending, then origin and current.
SELECT origin, current, COUNT(*) AS authors, first_year AS cohort,
       CAST(COUNT(*) AS DOUBLE) / SUM(COUNT(*)) OVER (PARTITION BY first_year, origin) AS share_of_origin
FROM talent_authors
WHERE n_years >= 2
GROUP BY first_year, origin, current
ORDER BY cohort, authors DESC, origin, current
