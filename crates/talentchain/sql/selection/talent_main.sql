-- talent_main: the observed years of the researchers in scope: the years
-- of the range in which a researcher has a main country (career_countries,
-- from the career source chosen), with that country. Careers from
-- authorships read the main country ingest stored in author_years.
SELECT a.author, a.year, a.country
FROM author_years a
JOIN talent_scope s ON s.author = a.author
WHERE $careers_from = 'authorships'
  AND a.country IS NOT NULL
  AND a.year BETWEEN $first_year AND $last_year
UNION ALL
SELECT m.author, m.year, m.country
FROM career_countries m
JOIN talent_scope s ON s.author = m.author
WHERE $careers_from = 'affiliations'
  AND m.source = 'affiliations'
  AND m.year BETWEEN $first_year AND $last_year
