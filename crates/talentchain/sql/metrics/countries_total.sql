-- countries_total: the countries metric over the whole range: one row per
-- country with the sums of country_years, the shares over the world's
-- totals (all selected works of the range), and
--   cagr  the compound annual growth rate of papers_full from the first to
--         the last year of the range, (p_last / p_first)^(1 / (last - first)) - 1;
--         the range is `from`/`to` when given, else the first and last
--         year of the selection. Null when the range is a single year or
--         the country has no paper in the first year; -1 when it has none
--         in the last year.
--   highly_cited_fractional  the country's fractional parts of the highly
--         cited works, and highly_cited_share_fractional their share of the
--         world's highly cited works (the highly cited share under
--         fractional counting)
-- The world's totals are world_parts added up; each row carries its
-- replicate (countries.sql says more).
-- Sorted by papers_full descending, then country.
WITH world AS (
    SELECT replicate, SUM(works) AS works, SUM(highly_cited) AS highly_cited
    FROM world_parts
    GROUP BY replicate
),
bounds AS (
    SELECT CAST(COALESCE($from_year, MIN(year)) AS INT) AS y0,
           CAST(COALESCE($to_year, MAX(year)) AS INT) AS y1
    FROM selection
),
total AS (
    SELECT p.country, SUM(p.papers_full) AS papers_full, SUM(p.papers_fractional) AS papers_fractional,
           SUM(p.citations) AS citations, SUM(p.highly_cited) AS highly_cited,
           SUM(p.highly_cited_fractional) AS highly_cited_fractional,
           SUM(CASE WHEN p.year = b.y0 THEN p.papers_full ELSE 0 END) AS p0,
           SUM(CASE WHEN p.year = b.y1 THEN p.papers_full ELSE 0 END) AS p1,
           MAX(b.y0) AS y0, MAX(b.y1) AS y1, p.replicate
    FROM country_years p
    CROSS JOIN bounds b
    GROUP BY p.country, p.replicate
)
SELECT t.country, t.y0 AS year_from, t.y1 AS year_to,
       t.papers_full, t.papers_fractional, t.citations, t.highly_cited,
       CAST(t.papers_full AS DOUBLE) / w.works AS share_full,
       t.papers_fractional / w.works AS share_fractional,
       CAST(t.highly_cited AS DOUBLE) / NULLIF(w.highly_cited, 0) AS highly_cited_share,
       CASE WHEN t.y1 > t.y0 AND t.p0 > 0
            THEN power(CAST(t.p1 AS DOUBLE) / t.p0, 1.0 / (t.y1 - t.y0)) - 1 END AS cagr,
       t.highly_cited_fractional,
       t.highly_cited_fractional / NULLIF(w.highly_cited, 0) AS highly_cited_share_fractional,
       t.replicate
FROM total t
JOIN world w ON w.replicate = t.replicate
ORDER BY t.papers_full DESC, t.country
