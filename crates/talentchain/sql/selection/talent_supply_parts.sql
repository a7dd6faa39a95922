-- talent_supply_parts: each researcher's part in talent_mismatch's supply
-- and in its top researchers' output, the rows it adds up (the resampling
-- unit of its intervals on that side; the output side is country_parts'
-- works). Rows of a researcher in scope with an origin (talent_authors):
--   in the origin country   researchers 1, and top_researchers 1 for a top
--                           researcher: one whose AI works' citations rank
--                           in the top share (`top`; the highly-cited rule of
--                           selection_ranks applied to researchers: rank = 1
--                           + the number with strictly more, rank <=
--                           ceil(share * n), never 0 citations)
--   for a top researcher, in each country of their authorships on selected
--                           works: top_output, their parts there (each
--                           authorship split among its countries: 1 /
--                           `authorships.n_countries`, authorship_shares'
--                           authorship_share, which a test checks equal)
-- Every other column of a row is 0; replicate 0 is the data as observed
-- (country_parts says more). Who is a top researcher stays fixed in the
-- replicates, as the highly-cited threshold does.
WITH ranked AS (
    SELECT author, origin, ai_citations,
           RANK() OVER (ORDER BY ai_citations DESC) AS citation_rank,
           COUNT(*) OVER () AS n
    FROM talent_authors
),
top AS (
    SELECT author, origin FROM ranked
    WHERE ai_citations > 0 AND citation_rank <= (n * $top_bp + 9999) / 10000
),
slots AS (
    SELECT DISTINCT a.author, a.work, a.position
    FROM authorships a
    JOIN top t ON t.author = a.author
    JOIN selection s ON s.work = a.work
)
SELECT r.author, r.origin AS country,
       CAST(1 AS BIGINT) AS researchers,
       CAST(CASE WHEN t.author IS NULL THEN 0 ELSE 1 END AS BIGINT) AS top_researchers,
       CAST(0.0 AS DOUBLE) AS top_output,
       CAST(0 AS INT) AS replicate
FROM ranked r
LEFT JOIN top t ON t.author = r.author
UNION ALL
SELECT t.author, c.country, 0, 0,
       SUM(1.0 / CAST(a.n_countries AS DOUBLE)), 0
FROM slots t
JOIN authorships a ON a.work = t.work AND a.position = t.position
JOIN authorship_countries c ON c.work = t.work AND c.position = t.position
GROUP BY t.author, c.country
