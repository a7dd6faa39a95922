-- sectors: AI output by sector (education, company, government, facility,
-- healthcare, nonprofit, other) per country, over the whole range.
--
-- The unit is an institution of an authorship, placed in the country given
-- for it in the work and in the sector of its `institutions` row (`other`
-- when it has none):
--   papers_full        selected works with an authorship at an institution
--                      of the sector in the country
--   papers_fractional  the fractional parts of those institutions
--                      (work_institutions: authorship_shares' rule)
-- Institutions without a country in the work are left out (counted in
-- sectors_without_country, for the notes). sector_parts added up; each
-- row carries its replicate (countries.sql says more). Sorted by country,
-- then papers_full descending, then sector.
CREATE TABLE sectors_without_country AS
SELECT COUNT(*) AS institutions
FROM authorship_institutions i
JOIN selection s ON s.work = i.work
WHERE i.country IS NULL;

SELECT country, sector, SUM(papers_full) AS papers_full, SUM(papers_fractional) AS papers_fractional,
       replicate
FROM sector_parts
GROUP BY country, sector, replicate
ORDER BY country, papers_full DESC, sector
