-- talent_flows: the origin -> current country matrix of the researchers in
-- scope with at least 2 observed years (stayers and returnees sit on the
-- diagonal): `authors` per origin and current country (talent_flow_parts
-- added up), and `share_of_origin` = authors over the authors with that
-- origin. Each row carries its replicate (countries.sql says more).
-- Sorted by authors descending, then origin and current.
WITH f AS (
    SELECT origin, current, replicate, SUM(authors) AS authors
    FROM talent_flow_parts
    GROUP BY origin, current, replicate
),
o AS (
    SELECT origin, replicate, SUM(authors) AS authors FROM f GROUP BY origin, replicate
)
SELECT f.origin, f.current, f.authors,
       CAST(f.authors AS DOUBLE) / NULLIF(o.authors, 0) AS share_of_origin,
       f.replicate
FROM f
JOIN o ON o.origin = f.origin AND o.replicate = f.replicate
ORDER BY f.authors DESC, f.origin, f.current
