-- collab_parts: each selected work's part in collab_shares, the rows it
-- adds up: one row per selected work (the resampling unit of the output
-- metrics' intervals) and country of its authorships (selection_countries),
-- with works 1, international_works 1 when the work has another country
-- too, and replicate 0, the data as observed (country_parts says more).
WITH n AS (
    SELECT work, COUNT(*) AS n_countries FROM selection_countries GROUP BY work
)
SELECT sc.work, sc.country,
       CAST(1 AS BIGINT) AS works,
       CAST(CASE WHEN n.n_countries > 1 THEN 1 ELSE 0 END AS BIGINT) AS international_works,
       CAST(0 AS INT) AS replicate
FROM selection_countries sc
JOIN n ON n.work = sc.work
