-- conversion_work_parts: each work's part in talent_conversion's works,
-- highly cited works and fractional counts, and in their totals (the
-- resampling unit of those columns): for a selected work with an
-- authorship of a researcher of origin `origin` (conversion_slots), one row
-- per country of those authorships (`country` the code) with works 1,
-- highly_cited 1 when the work is, and fractional the sum of those
-- researchers' authorship shares there; and one row with `country` '*'
-- (the work's part in the totals: works 1 for a work with any such
-- country, highly_cited, fractional over its countries). Replicate 0 is
-- the data as observed (country_parts says more).
WITH per AS (
    SELECT work, country, SUM(authorship_share) AS fractional, BOOL_OR(highly_cited) AS highly_cited
    FROM conversion_slots
    GROUP BY work, country
)
SELECT work, country, CAST(1 AS BIGINT) AS works,
       CAST(CASE WHEN highly_cited THEN 1 ELSE 0 END AS BIGINT) AS highly_cited,
       fractional, CAST(0 AS INT) AS replicate
FROM per
UNION ALL
SELECT work, '*', CAST(1 AS BIGINT),
       CAST(MAX(CASE WHEN highly_cited THEN 1 ELSE 0 END) AS BIGINT),
       SUM(fractional), CAST(0 AS INT)
FROM per
GROUP BY work
