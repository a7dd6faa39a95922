-- talent_mismatch: where AI talent comes from versus where AI output is
-- produced (MacroPolo's "talent supply vs output"), per country, for all
-- researchers in scope and for the top researchers. One row for every
-- country with a value in any column:
--   researchers, supply_share  researchers in scope whose origin is the
--                  country, and their share of all researchers with an origin
--   output, output_share  the country's fractional count of the AI
--                  selection (country_years: by affiliation at the time),
--                  over all countries' (so shares add up to 1; works
--                  without a country are left out)
--   hc_output, hc_share   the same over the highly cited works
--   output_ratio = output_share / supply_share, hc_ratio = hc_share /
--                  supply_share (null without supply): above 1 the country
--                  produces more than the talent it supplies
--   top researchers  those with an origin whose AI works' citations rank in
--                  the top share (`top`; the highly-cited rule of
--                  selection_ranks applied to researchers: rank = 1 + the
--                  number with strictly more, rank <= ceil(share * n), never
--                  0 citations); top_supply_share their share by origin,
--                  top_output_share by affiliation (each of their
--                  authorships on an AI work split among its countries:
--                  authorship_shares' rule), top_ratio the second over the first
-- The supply and the top researchers' output are talent_supply_parts added
-- up (researchers resampled), the output country_years (works resampled);
-- each row carries its replicate (countries.sql says more).
-- Sorted by researchers descending, then output descending, then country.
CREATE TABLE mismatch_output AS
SELECT country, replicate, SUM(papers_fractional) AS output,
       SUM(highly_cited_fractional) AS hc_output
FROM country_years
GROUP BY country, replicate;

CREATE TABLE mismatch_supply AS
SELECT country, replicate, SUM(researchers) AS researchers,
       SUM(top_researchers) AS top_researchers, SUM(top_output) AS top_output
FROM talent_supply_parts
GROUP BY country, replicate;

-- (The sums above are tables, computed once: the query reads each three
-- times.)
WITH k AS (
    SELECT country, replicate FROM mismatch_supply
    UNION SELECT country, replicate FROM mismatch_output
),
supply_totals AS (
    SELECT replicate, SUM(researchers) AS researchers,
           SUM(top_researchers) AS top_researchers, SUM(top_output) AS top_output
    FROM mismatch_supply GROUP BY replicate
),
output_totals AS (
    SELECT replicate, SUM(output) AS output, SUM(hc_output) AS hc_output
    FROM mismatch_output GROUP BY replicate
),
v AS (
    SELECT k.country, k.replicate,
           COALESCE(s.researchers, 0) AS researchers,
           CAST(COALESCE(s.researchers, 0) AS DOUBLE) / NULLIF(st.researchers, 0) AS supply_share,
           COALESCE(o.output, 0) AS output, COALESCE(o.output, 0) / NULLIF(ot.output, 0) AS output_share,
           COALESCE(o.hc_output, 0) AS hc_output, COALESCE(o.hc_output, 0) / NULLIF(ot.hc_output, 0) AS hc_share,
           COALESCE(s.top_researchers, 0) AS top_researchers,
           CAST(COALESCE(s.top_researchers, 0) AS DOUBLE) / NULLIF(st.top_researchers, 0) AS top_supply_share,
           COALESCE(s.top_output, 0) / NULLIF(st.top_output, 0) AS top_output_share
    FROM k
    LEFT JOIN mismatch_supply s ON s.country = k.country AND s.replicate = k.replicate
    LEFT JOIN mismatch_output o ON o.country = k.country AND o.replicate = k.replicate
    LEFT JOIN supply_totals st ON st.replicate = k.replicate
    LEFT JOIN output_totals ot ON ot.replicate = k.replicate
)
SELECT country, researchers, supply_share, output, output_share, hc_output, hc_share,
       output_share / NULLIF(supply_share, 0) AS output_ratio,
       hc_share / NULLIF(supply_share, 0) AS hc_ratio,
       top_researchers, top_supply_share, top_output_share,
       top_output_share / NULLIF(top_supply_share, 0) AS top_ratio,
       replicate
FROM v
ORDER BY researchers DESC, output DESC, country
