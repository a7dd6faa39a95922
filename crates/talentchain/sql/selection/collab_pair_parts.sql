-- collab_pair_parts: each selected work's part in collab_pairs, the rows it
-- adds up: one row per selected work (the resampling unit of the output
-- metrics' intervals) and unordered pair of its countries (country_a <
-- country_b, from selection_countries: an authorship with two countries
-- links them too), with works 1 and replicate 0, the data as observed
-- (country_parts says more).
SELECT a.work, a.country AS country_a, b.country AS country_b,
       CAST(1 AS BIGINT) AS works,
       CAST(0 AS INT) AS replicate
FROM selection_countries a
JOIN selection_countries b ON a.work = b.work AND a.country < b.country
