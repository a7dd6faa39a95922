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
-- Sorted by researchers descending, then output descending, then country.
CREATE TABLE mismatch_output AS
SELECT country, SUM(papers_fractional) AS output, SUM(highly_cited_fractional) AS hc_output
FROM country_years
GROUP BY country;

CREATE TABLE mismatch_top AS
SELECT author, origin
FROM (SELECT author, origin, ai_citations,
             RANK() OVER (ORDER BY ai_citations DESC) AS citation_rank,
             COUNT(*) OVER () AS n
      FROM talent_authors) r
WHERE ai_citations > 0 AND citation_rank <= (n * $top_bp + 9999) / 10000;

CREATE TABLE mismatch_top_slots AS
SELECT DISTINCT a.author, a.work, a.position
FROM authorships a
JOIN mismatch_top t ON t.author = a.author
JOIN selection s ON s.work = a.work;

-- Each slot's part of its authorship is 1 / the authorship's countries
-- (`authorships.n_countries`: authorship_shares' authorship_share, which a
-- test checks equal), read for the top researchers' slots only.
CREATE TABLE mismatch_top_output AS
SELECT c.country, SUM(1.0 / CAST(a.n_countries AS DOUBLE)) AS top_output
FROM mismatch_top_slots t
JOIN authorships a ON a.work = t.work AND a.position = t.position
JOIN authorship_countries c ON c.work = t.work AND c.position = t.position
GROUP BY c.country;

WITH supply AS (
    SELECT origin AS country, COUNT(*) AS researchers FROM talent_authors GROUP BY origin
),
top_supply AS (
    SELECT origin AS country, COUNT(*) AS top_researchers FROM mismatch_top GROUP BY origin
),
totals AS (
    SELECT (SELECT COUNT(*) FROM talent_authors) AS researchers,
           (SELECT SUM(output) FROM mismatch_output) AS output,
           (SELECT SUM(hc_output) FROM mismatch_output) AS hc_output,
           (SELECT COUNT(*) FROM mismatch_top) AS top_researchers,
           (SELECT SUM(top_output) FROM mismatch_top_output) AS top_output
),
k AS (
    SELECT country FROM supply
    UNION SELECT country FROM mismatch_output
    UNION SELECT country FROM top_supply
    UNION SELECT country FROM mismatch_top_output
),
v AS (
    SELECT k.country, COALESCE(s.researchers, 0) AS researchers,
           CAST(COALESCE(s.researchers, 0) AS DOUBLE) / NULLIF(t.researchers, 0) AS supply_share,
           COALESCE(o.output, 0) AS output, COALESCE(o.output, 0) / NULLIF(t.output, 0) AS output_share,
           COALESCE(o.hc_output, 0) AS hc_output, COALESCE(o.hc_output, 0) / NULLIF(t.hc_output, 0) AS hc_share,
           COALESCE(ts.top_researchers, 0) AS top_researchers,
           CAST(COALESCE(ts.top_researchers, 0) AS DOUBLE) / NULLIF(t.top_researchers, 0) AS top_supply_share,
           COALESCE(tout.top_output, 0) / NULLIF(t.top_output, 0) AS top_output_share
    FROM k
    CROSS JOIN totals t
    LEFT JOIN supply s ON s.country = k.country
    LEFT JOIN mismatch_output o ON o.country = k.country
    LEFT JOIN top_supply ts ON ts.country = k.country
    LEFT JOIN mismatch_top_output tout ON tout.country = k.country
)
SELECT country, researchers, supply_share, output, output_share, hc_output, hc_share,
       output_share / NULLIF(supply_share, 0) AS output_ratio,
       hc_share / NULLIF(supply_share, 0) AS hc_ratio,
       top_researchers, top_supply_share, top_output_share,
       top_output_share / NULLIF(top_supply_share, 0) AS top_ratio
FROM v
ORDER BY researchers DESC, output DESC, country
