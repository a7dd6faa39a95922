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
-- sectors_without_country, for the notes). Sorted by country, then
-- papers_full descending, then sector.
CREATE TABLE sectors_without_country AS
SELECT COUNT(*) AS institutions
FROM authorship_institutions i
JOIN selection s ON s.work = i.work
WHERE i.country IS NULL;

WITH parts AS (
    SELECT x.work, x.country, COALESCE(inst.sector, 'other') AS sector, x.fractional
    FROM work_institutions x
    LEFT JOIN institutions inst ON inst.id = x.institution
    WHERE x.status_{{profile}} = 'selected' AND x.year BETWEEN $first_year AND $last_year
)
SELECT country, sector, COUNT(DISTINCT work) AS papers_full, SUM(fractional) AS papers_fractional
FROM parts
WHERE country IS NOT NULL
GROUP BY country, sector
ORDER BY country, papers_full DESC, sector
