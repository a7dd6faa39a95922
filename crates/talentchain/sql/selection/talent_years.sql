-- talent_years: each observed year of a researcher in scope, with
--   origin   the main country of the researcher's first observed year
--   current  the main country of the last one
--   prev     the main country of the previous observed year in the range
--            (null for the first): read from talent_main for careers from
--            authorships (stored by ingest), else the previous row's
-- Origin is a proxy for where a career started, never for nationality.
WITH ends AS (
    SELECT author,
           FIRST_VALUE(country ORDER BY year) AS origin,
           LAST_VALUE(country ORDER BY year) AS current
    FROM talent_main
    GROUP BY author
)
SELECT t.author, t.year, t.country, e.origin, e.current,
       CASE WHEN $careers_from = 'affiliations'
            THEN LAG(t.country) OVER (PARTITION BY t.author ORDER BY t.year)
            ELSE t.prev END AS prev
FROM talent_main t
JOIN ends e ON e.author = t.author
