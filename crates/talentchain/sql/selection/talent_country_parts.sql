-- talent_country_parts: each researcher's part in talent_countries'
-- counts, the rows it adds up, for the researchers in scope with at least
-- 2 observed years (the resampling unit of the talent metrics' intervals:
-- a career is one researcher's). Rows of a researcher:
--   in the origin country   authors 1, and 1 in the column of the class
--                           (stayers, returnees or emigrants; talent_authors)
--   in the current country  immigrants 1, when it is not the origin
--   in each country of an observed year that has a previous observed year
--                           author_years 1, and moves 1 when the previous
--                           one had another country (talent_years)
-- Every other column of a row is 0; replicate 0 is the data as observed
-- (country_parts says more).
WITH a AS (
    SELECT author, origin, current, class FROM talent_authors WHERE n_years >= 2
)
SELECT author, origin AS country,
       CAST(1 AS BIGINT) AS authors,
       CAST(CASE WHEN class = 'stayer' THEN 1 ELSE 0 END AS BIGINT) AS stayers,
       CAST(CASE WHEN class = 'returnee' THEN 1 ELSE 0 END AS BIGINT) AS returnees,
       CAST(CASE WHEN class = 'emigrant' THEN 1 ELSE 0 END AS BIGINT) AS emigrants,
       CAST(0 AS BIGINT) AS immigrants,
       CAST(0 AS BIGINT) AS author_years,
       CAST(0 AS BIGINT) AS moves,
       CAST(0 AS INT) AS replicate
FROM a
UNION ALL
SELECT author, current AS country, 0, 0, 0, 0, 1, 0, 0, 0
FROM a
WHERE current <> origin
UNION ALL
SELECT author, country, 0, 0, 0, 0, 0, 1, CASE WHEN prev <> country THEN 1 ELSE 0 END, 0
FROM talent_years
WHERE prev IS NOT NULL
