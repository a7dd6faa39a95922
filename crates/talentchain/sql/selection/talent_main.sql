-- talent_main: the observed years of the researchers in scope: the years
-- of the range in which a researcher has a main country (career_countries,
-- from the career source chosen), with that country, and `prev`, the main
-- country of the researcher's previous observed year in the range (null
-- for the first). Careers from authorships read both from author_years,
-- where ingest stored them (a previous year before the range gives null);
-- careers from affiliations take the previous row's country.
SELECT a.author, a.year, a.country,
       CASE WHEN a.prev_year >= $first_year THEN a.prev_country END AS prev
FROM author_years a
JOIN talent_scope s ON s.author = a.author
WHERE $careers_from = 'authorships'
  AND a.country IS NOT NULL
  AND a.year BETWEEN $first_year AND $last_year
UNION ALL
SELECT m.author, m.year, m.country,
       LAG(m.country) OVER (PARTITION BY m.author ORDER BY m.year) AS prev
FROM career_countries m
JOIN talent_scope s ON s.author = m.author
WHERE $careers_from = 'affiliations'
  AND m.source = 'affiliations'
  AND m.year BETWEEN $first_year AND $last_year
