-- talent_main: the observed years of the researchers in scope: the years
-- of the range in which a researcher has a main country (career_countries,
-- from the career source chosen), with that country, and `prev`: for
-- careers from authorships, the main country of the previous observed year
-- when that year is in the range (author_years stores both; null
-- otherwise). Careers from affiliations get `prev` in talent_years.
SELECT a.author, a.year, a.country,
       CASE WHEN a.prev_year >= $first_year THEN a.prev_country END AS prev
FROM author_years a
JOIN talent_scope s ON s.author = a.author
WHERE $careers_from = 'authorships'
  AND a.country IS NOT NULL
  AND a.year BETWEEN $first_year AND $last_year
UNION ALL
SELECT m.author, m.year, m.country, arrow_cast(NULL, 'Utf8') AS prev
FROM career_countries m
JOIN talent_scope s ON s.author = m.author
WHERE $careers_from = 'affiliations'
  AND m.source = 'affiliations'
  AND m.year BETWEEN $first_year AND $last_year
