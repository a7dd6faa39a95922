-- career_tallies: what each author-year's main country is chosen from, by
-- career source. One row per source, author, year and country, with its
-- tally `n`:
--   'authorships'   each authorship of the author (with an author id, on a
--                   work with a publication year) adds 1 to each of its
--                   countries (work_author_countries)
--   'affiliations'  each institution of the author entity's affiliation
--                   years (`affiliations[].years`) adds 1 to its country
SELECT 'authorships' AS source, author, year, country, CAST(SUM(n) AS BIGINT) AS n
FROM work_author_countries
GROUP BY author, year, country
UNION ALL
SELECT 'affiliations' AS source, author, year, country, COUNT(DISTINCT institution) AS n
FROM author_affiliations
WHERE country IS NOT NULL
GROUP BY author, year, country
