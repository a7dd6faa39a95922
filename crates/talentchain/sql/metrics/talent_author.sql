-- talent_author: one career, year by year: the careers rows of `author`
-- (year, country, tally, countries, institution, institutions, sector,
-- works, ai_works, citations) and `moved`, true when the year's main
-- country differs from the previous observed year's. Every year with a
-- work of the author in the range is shown, also those without a country
-- (country null: not observed). The notes give the origin, current country
-- and class, from talent_author_info.
--
-- The author's rows are kept first, picked by a semi join rather than
-- `author = ...`: on Ballista, a window partitioned by a column a filter
-- fixes loses its ordering when the plan is shipped to the executors.
CREATE TABLE talent_author_info AS
SELECT t.origin, t.current, t.class, t.n_years,
       (SELECT MAX(ai_works) FROM talent_scope WHERE author = $author) AS ai_works
FROM (SELECT 1 AS one) d
LEFT JOIN talent_authors t ON t.author = $author;

CREATE TABLE talent_author_rows AS
SELECT * FROM careers WHERE author IN (SELECT column1 FROM (VALUES ($author)));

SELECT year, country, tally, countries, institution, institutions, sector, works, ai_works, citations,
       CASE WHEN country IS NULL THEN NULL
            ELSE COALESCE(LAG(country) OVER (PARTITION BY country IS NULL ORDER BY year) <> country, false)
       END AS moved
FROM talent_author_rows
ORDER BY year
