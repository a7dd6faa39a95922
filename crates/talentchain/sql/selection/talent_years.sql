-- talent_years: each observed year of a researcher in scope, with
--   origin   the main country of the researcher's first observed year
--   current  the main country of the last one
--   prev     the main country of the previous observed year in the range
--            (null for the first; talent_main's)
--   ai_works the researcher's works of the year in the selection
--            (talent_main's)
-- Origin is a proxy for where a career started, never for nationality.
WITH ends AS (
    SELECT author,
           FIRST_VALUE(country ORDER BY year) AS origin,
           LAST_VALUE(country ORDER BY year) AS current
    FROM talent_main
    GROUP BY author
)
SELECT t.author, t.year, t.country, e.origin, e.current, t.prev, t.ai_works
FROM talent_main t
JOIN ends e ON e.author = t.author
