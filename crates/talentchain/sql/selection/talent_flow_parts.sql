-- talent_flow_parts: each researcher's part in talent_flows (and
-- talent_flows_by_cohort), the rows they add up: one row per researcher in
-- scope with at least 2 observed years (the resampling unit of the talent
-- metrics' intervals), with origin and current country (talent_authors),
-- cohort (the first observed year), authors 1 and replicate 0, the data
-- as observed (country_parts says more).
SELECT author, origin, current, first_year AS cohort,
       CAST(1 AS BIGINT) AS authors,
       CAST(0 AS INT) AS replicate
FROM talent_authors
WHERE n_years >= 2
