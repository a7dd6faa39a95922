-- talent_flows: the origin -> current country matrix of the researchers in
-- scope with at least 2 observed years (stayers and returnees sit on the
-- diagonal): `authors` per origin and current country (talent_flow_parts
-- added up), and `share_of_origin` = authors over the authors with that
-- origin. Each row carries its replicate (countries.sql says more).
-- Sorted by authors descending, then origin and current.
SELECT origin, current, SUM(authors) AS authors,
       CAST(SUM(authors) AS DOUBLE)
           / NULLIF(SUM(SUM(authors)) OVER (PARTITION BY origin, replicate), 0) AS share_of_origin,
       replicate
FROM talent_flow_parts
GROUP BY origin, current, replicate
ORDER BY authors DESC, origin, current
