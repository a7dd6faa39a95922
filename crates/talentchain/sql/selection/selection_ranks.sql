-- selection_ranks: the highly-cited rule. Among the selected works of year y
-- (n_y of them, whatever their countries), a work's rank is 1 + the number
-- of those works with strictly more citations; it is highly cited when it
-- has at least one citation and rank <= ceil(p * n_y), for the top share p
-- (10% by default; ties at the threshold are all in). p is kept in basis
-- points, so that the ceiling is exact (0.1 * 30 is 3.0000000000000004 in
-- floating point). One row per year and citation count of the selection:
-- ranks are found per value, not per work.
WITH counts AS (
    SELECT year, cites, COUNT(*) AS n FROM selection GROUP BY year, cites
),
ranked AS (
    SELECT year, cites,
           CAST(SUM(n) OVER (PARTITION BY year ORDER BY cites DESC
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - n + 1 AS BIGINT) AS cite_rank,
           CAST(SUM(n) OVER (PARTITION BY year) AS BIGINT) AS n_year
    FROM counts
)
SELECT year, cites, cite_rank, n_year,
       (cites > 0 AND cite_rank <= (n_year * $top_bp + 9999) / 10000) AS highly_cited
FROM ranked
