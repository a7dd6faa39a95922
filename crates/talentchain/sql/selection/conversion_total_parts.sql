-- conversion_total_parts: each work's part in the totals of
-- talent_conversion's shares (the resampling unit: the work): one row per
-- selected work with an authorship of a researcher of origin `origin`
-- that has a country (conversion_slots), `scope` 'all' (the one cell),
-- works 1, highly_cited 1 when the work is, fractional the sum of those
-- researchers' authorship shares over its countries; replicate 0 (country_parts
-- says more).
SELECT work, 'all' AS scope, CAST(1 AS BIGINT) AS works,
       CAST(MAX(highly_cited) AS BIGINT) AS highly_cited,
       SUM(authorship_share) AS fractional, CAST(0 AS INT) AS replicate
FROM conversion_slots
GROUP BY work
