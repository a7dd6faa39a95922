-- sector_parts: each selected work's part in the sectors metric, the rows
-- it adds up: one row per selected work (the resampling unit of the output
-- metrics' intervals), country and sector of its authorships'
-- institutions (the country given for the institution in the work, the
-- sector of its `institutions` row, `other` when it has none; institutions
-- without a country left out), with papers_full 1, papers_fractional the
-- fractional parts of those institutions (work_institutions:
-- authorship_shares' rule) and replicate 0, the data as observed
-- (country_parts says more).
SELECT x.work, x.country, COALESCE(inst.sector, 'other') AS sector,
       CAST(1 AS BIGINT) AS papers_full,
       SUM(x.fractional) AS papers_fractional,
       CAST(0 AS INT) AS replicate
FROM work_institutions x
LEFT JOIN institutions inst ON inst.id = x.institution
WHERE x.status_{{profile}} = 'selected' AND x.year BETWEEN $first_year AND $last_year
  AND x.country IS NOT NULL
GROUP BY x.work, x.country, COALESCE(inst.sector, 'other')
