-- talent_countries: stayers, returnees, emigrants and immigrants per
-- country, retention, net gain and the annual mobility rate: the counts of
-- talent_country_parts added up, one row for every country where a
-- researcher in scope with at least 2 observed years was observed (their
-- origin, their current country or a year between):
--   authors        those researchers with origin X (0 for a country with
--                  immigrants or passing years only)
--   stayers, returnees, emigrants  of them, in each class (talent_authors)
--   immigrants     researchers whose current country is X and origin is not
--   retention      (stayers + returnees) / authors, null without authors
--   net_gain       immigrants - emigrants
--   mobility_rate  the OECD STI Scoreboard's annual mobility rate: among
--                  the observed author-years with main country X that have
--                  a previous observed year, the share whose previous one
--                  had another country (`moves` of `author_years`); a gap
--                  of several years between two observed years is one step
-- Each row carries its replicate (countries.sql says more).
-- Sorted by authors descending, then country.
WITH c AS (
    SELECT country, replicate,
           SUM(authors) AS authors, SUM(stayers) AS stayers, SUM(returnees) AS returnees,
           SUM(emigrants) AS emigrants, SUM(immigrants) AS immigrants,
           SUM(author_years) AS author_years, SUM(moves) AS moves
    FROM talent_country_parts
    GROUP BY country, replicate
)
SELECT country, authors, stayers, returnees, emigrants, immigrants,
       CAST(stayers + returnees AS DOUBLE) / NULLIF(authors, 0) AS retention,
       immigrants - emigrants AS net_gain,
       CAST(moves AS DOUBLE) / NULLIF(author_years, 0) AS mobility_rate,
       moves, author_years, replicate
FROM c
ORDER BY authors DESC, country
