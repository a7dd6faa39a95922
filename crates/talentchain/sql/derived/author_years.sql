-- author_years: the stored careers. One row per author and year with a work
-- of theirs (work_authors), with
--   country                   the year's main country from authorships
--                             (career_countries; null in a year without one)
--   prev_year, prev_country   the author's previous year with a main
--                             country, and that country (null for the first)
--   ai_works_P, ai_citations_P  for each stored profile P, the author's works
--                             of the year that P selects and the sum of
--                             their citations
-- A year's main country depends on neither the profile nor the year range,
-- so the talent metrics read it here instead of tallying every authorship.
-- Ingest computes it over all works at its end, by buckets of authors (all
-- of an author's rows fall in one bucket) to bound its memory.
WITH observed AS (
    SELECT author, year, country,
           LAG(year) OVER (PARTITION BY author ORDER BY year) AS prev_year,
           LAG(country) OVER (PARTITION BY author ORDER BY year) AS prev_country
    FROM career_countries
    WHERE source = 'authorships'
),
rows AS (
    SELECT author, year, country, prev_year, prev_country,
           CAST(0 AS BIGINT) AS ai_works_concepts_v1, CAST(0 AS BIGINT) AS ai_citations_concepts_v1,
           CAST(0 AS BIGINT) AS ai_works_topics_v1, CAST(0 AS BIGINT) AS ai_citations_topics_v1,
           CAST(0 AS BIGINT) AS ai_works_venues_v1, CAST(0 AS BIGINT) AS ai_citations_venues_v1,
           CAST(0 AS BIGINT) AS ai_works_any_v1, CAST(0 AS BIGINT) AS ai_citations_any_v1
    FROM observed
    UNION ALL
    SELECT author, year, arrow_cast(NULL, 'Utf8') AS country, CAST(NULL AS INT) AS prev_year,
           arrow_cast(NULL, 'Utf8') AS prev_country,
           CAST(CASE WHEN status_concepts_v1 = 'selected' THEN 1 ELSE 0 END AS BIGINT),
           CASE WHEN status_concepts_v1 = 'selected' THEN COALESCE(cites, 0) ELSE CAST(0 AS BIGINT) END,
           CAST(CASE WHEN status_topics_v1 = 'selected' THEN 1 ELSE 0 END AS BIGINT),
           CASE WHEN status_topics_v1 = 'selected' THEN COALESCE(cites, 0) ELSE CAST(0 AS BIGINT) END,
           CAST(CASE WHEN status_venues_v1 = 'selected' THEN 1 ELSE 0 END AS BIGINT),
           CASE WHEN status_venues_v1 = 'selected' THEN COALESCE(cites, 0) ELSE CAST(0 AS BIGINT) END,
           CAST(CASE WHEN status_any_v1 = 'selected' THEN 1 ELSE 0 END AS BIGINT),
           CASE WHEN status_any_v1 = 'selected' THEN COALESCE(cites, 0) ELSE CAST(0 AS BIGINT) END
    FROM work_authors
)
SELECT author, year, MAX(country) AS country, MAX(prev_year) AS prev_year, MAX(prev_country) AS prev_country,
       SUM(ai_works_concepts_v1) AS ai_works_concepts_v1, SUM(ai_citations_concepts_v1) AS ai_citations_concepts_v1,
       SUM(ai_works_topics_v1) AS ai_works_topics_v1, SUM(ai_citations_topics_v1) AS ai_citations_topics_v1,
       SUM(ai_works_venues_v1) AS ai_works_venues_v1, SUM(ai_citations_venues_v1) AS ai_citations_venues_v1,
       SUM(ai_works_any_v1) AS ai_works_any_v1, SUM(ai_citations_any_v1) AS ai_citations_any_v1
FROM rows
GROUP BY author, year
