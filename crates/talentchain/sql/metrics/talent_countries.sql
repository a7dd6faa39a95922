-- talent_countries: stayers, returnees, emigrants and immigrants per
-- country, retention, net gain and the annual mobility rate. One row for
-- every country that is the origin or the current country of a researcher
-- in scope with at least 2 observed years:
--   authors        those researchers with origin X (0 for a country with
--                  immigrants only)
--   stayers, returnees, emigrants  of them, in each class (talent_authors)
--   immigrants     researchers whose current country is X and origin is not
--   retention      (stayers + returnees) / authors, null without authors
--   net_gain       immigrants - emigrants
--   mobility_rate  the OECD STI Scoreboard's annual mobility rate: among
--                  the observed author-years with main country X that have
--                  a previous observed year, the share whose previous one
--                  had another country (`moves` of `author_years`); a gap
--                  of several years between two observed years is one step
-- Sorted by authors descending, then country.
WITH a AS (
    SELECT * FROM talent_authors WHERE n_years >= 2
),
o AS (
    SELECT origin AS country, COUNT(*) AS authors,
           SUM(CASE WHEN class = 'stayer' THEN 1 ELSE 0 END) AS stayers,
           SUM(CASE WHEN class = 'returnee' THEN 1 ELSE 0 END) AS returnees,
           SUM(CASE WHEN class = 'emigrant' THEN 1 ELSE 0 END) AS emigrants
    FROM a
    GROUP BY origin
),
i AS (
    SELECT current AS country, COUNT(*) AS immigrants FROM a WHERE current <> origin GROUP BY current
),
m AS (
    SELECT country, COUNT(*) AS author_years, SUM(CASE WHEN prev <> country THEN 1 ELSE 0 END) AS moves
    FROM talent_years
    WHERE prev IS NOT NULL
    GROUP BY country
),
k AS (
    SELECT country FROM o UNION SELECT country FROM i
)
SELECT k.country, COALESCE(o.authors, 0) AS authors, COALESCE(o.stayers, 0) AS stayers,
       COALESCE(o.returnees, 0) AS returnees, COALESCE(o.emigrants, 0) AS emigrants,
       COALESCE(i.immigrants, 0) AS immigrants,
       CAST(o.stayers + o.returnees AS DOUBLE) / NULLIF(o.authors, 0) AS retention,
       COALESCE(i.immigrants, 0) - COALESCE(o.emigrants, 0) AS net_gain,
       CAST(m.moves AS DOUBLE) / NULLIF(m.author_years, 0) AS mobility_rate,
       COALESCE(m.moves, 0) AS moves, COALESCE(m.author_years, 0) AS author_years
FROM k
LEFT JOIN o ON o.country = k.country
LEFT JOIN i ON i.country = k.country
LEFT JOIN m ON m.country = k.country
ORDER BY authors DESC, k.country
