-- countries: AI research output, citations and highly cited works per
-- country and year (ETO Country Activity Tracker style).
--
-- One row per country and year with output (country_years: papers_full,
-- papers_fractional, citations, highly_cited), and the world shares: the
-- country's value over the world's, the world of a year being all its
-- selected works, whatever their countries:
--   share_full          papers_full / the year's works (a work counts once
--                       for each of its countries, so a year's full shares
--                       can add up past 1)
--   share_fractional    papers_fractional / the year's works (at most 1 in
--                       all: works without a country count in the world only)
--   highly_cited_share  highly_cited / the year's highly cited works (null
--                       when the year has none)
-- Sorted by year, then papers_full descending, then country.
WITH world AS (
    SELECT year, COUNT(*) AS works, SUM(CASE WHEN highly_cited THEN 1 ELSE 0 END) AS highly_cited
    FROM selection_hc
    GROUP BY year
)
SELECT p.country, p.year, p.papers_full, p.papers_fractional, p.citations, p.highly_cited,
       CAST(p.papers_full AS DOUBLE) / w.works AS share_full,
       p.papers_fractional / w.works AS share_fractional,
       CAST(p.highly_cited AS DOUBLE) / NULLIF(w.highly_cited, 0) AS highly_cited_share
FROM country_years p
JOIN world w ON w.year = p.year
ORDER BY p.year, p.papers_full DESC, p.country
