-- talent_flows: the origin -> current country matrix of the researchers in
-- scope with at least 2 observed years (stayers and returnees sit on the
-- diagonal): `authors` per origin and current country, and
-- `share_of_origin` = authors over the authors with that origin. Sorted by
-- authors descending, then origin and current.
SELECT origin, current, COUNT(*) AS authors,
       CAST(COUNT(*) AS DOUBLE) / SUM(COUNT(*)) OVER (PARTITION BY origin) AS share_of_origin
FROM talent_authors
WHERE n_years >= 2
GROUP BY origin, current
ORDER BY authors DESC, origin, current
