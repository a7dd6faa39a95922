-- world_parts: each selected work's part in the world of its year, the
-- denominator of the output shares: one row per selected work, whatever
-- its countries (the resampling unit of the output metrics' intervals):
--   works         1
--   highly_cited  1 if the work is highly cited (selection_hc), else 0
--   replicate     0: the data as observed (country_parts says more)
SELECT work, year,
       CAST(1 AS BIGINT) AS works,
       CAST(CASE WHEN highly_cited THEN 1 ELSE 0 END AS BIGINT) AS highly_cited,
       CAST(0 AS INT) AS replicate
FROM selection_hc
