-- selection_countries: one row per selected work and country of its
-- authorships, with the country's fractional share of the work
-- (work_countries).
SELECT wc.work, wc.country, wc.fractional
FROM work_countries wc
JOIN selection s ON s.work = wc.work
