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
-- The world's counts are world_parts added up. Each row carries its
-- replicate (country_parts): the metric shows replicate 0, the data as
-- observed, and its intervals the spread of the others.
-- Sorted by year, then papers_full descending, then country.
WITH world AS (
    SELECT year, replicate, SUM(works) AS works, SUM(highly_cited) AS highly_cited
    FROM world_parts
    GROUP BY year, replicate
)
SELECT p.country, p.year, p.papers_full, p.papers_fractional, p.citations, p.highly_cited,
       CAST(p.papers_full AS DOUBLE) / w.works AS share_full,
       p.papers_fractional / w.works AS share_fractional,
       CAST(p.highly_cited AS DOUBLE) / NULLIF(w.highly_cited, 0) AS highly_cited_share,
       p.replicate
FROM country_years p
JOIN world w ON w.year = p.year AND w.replicate = p.replicate
ORDER BY p.year, p.papers_full DESC, p.country
