-- talent_main: the observed years of the researchers in scope: the years
-- of the range in which a researcher has a main country (career_countries,
-- from the career source chosen), with that country, `prev`, the main
-- country of the researcher's previous observed year in the range (null
-- for the first), and `ai_works`, the researcher's works of the year in
-- the selection (author_years'; 0 in an affiliation year without one).
-- Careers from authorships read the countries from author_years, where
-- ingest stored them (a previous year before the range gives null);
-- careers from affiliations take the previous row's country.
SELECT a.author, a.year, a.country,
       CASE WHEN a.prev_year >= $first_year THEN a.prev_country END AS prev,
       CAST(COALESCE(a.ai_works_{{profile}}, 0) AS BIGINT) AS ai_works
FROM author_years a
JOIN talent_scope s ON s.author = a.author
WHERE $careers_from = 'authorships'
  AND a.country IS NOT NULL
  AND a.year BETWEEN $first_year AND $last_year
UNION ALL
SELECT m.author, m.year, m.country,
       LAG(m.country) OVER (PARTITION BY m.author ORDER BY m.year) AS prev,
       CAST(COALESCE(w.ai_works_{{profile}}, 0) AS BIGINT) AS ai_works
FROM career_countries m
JOIN talent_scope s ON s.author = m.author
LEFT JOIN author_years w ON w.author = m.author AND w.year = m.year
WHERE $careers_from = 'affiliations'
  AND m.source = 'affiliations'
  AND m.year BETWEEN $first_year AND $last_year
