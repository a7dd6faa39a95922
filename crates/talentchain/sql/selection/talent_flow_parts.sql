-- talent_flow_parts: each researcher's part in talent_flows, the rows it
-- adds up: one row per researcher in scope with at least 2 observed years
-- (the resampling unit of the talent metrics' intervals), with origin and
-- current country (talent_authors), authors 1 and replicate 0, the data
-- as observed (country_parts says more).
SELECT author, origin, current,
       CAST(1 AS BIGINT) AS authors,
       CAST(0 AS INT) AS replicate
FROM talent_authors
WHERE n_years >= 2
