-- conversion_work_parts: each work's part in talent_conversion's works,
-- highly cited works and fractional counts per country (the resampling
-- unit of those columns; their totals are conversion_total_parts): for a
-- selected work with an authorship of a researcher of origin `origin`
-- (conversion_slots), one row per country of those authorships with works
-- 1, highly_cited 1 when the work is, and fractional the sum of those
-- researchers' authorship shares there. Replicate 0 is the data as
-- observed (country_parts says more).
SELECT work, country, CAST(1 AS BIGINT) AS works,
       CAST(MAX(highly_cited) AS BIGINT) AS highly_cited,
       SUM(authorship_share) AS fractional, CAST(0 AS INT) AS replicate
FROM conversion_slots
GROUP BY work, country
