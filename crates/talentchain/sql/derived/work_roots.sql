-- work_roots: work_institutions with each institution replaced by its
-- lineage root (itself when it has none): one row per work, root and
-- country, the fractional parts of the institutes of one root added up,
-- and `first` on one row of each (work, root) (the smallest country, a
-- missing one first). The institutions ranking with rollup reads it, so
-- that a work counts once for the root without grouping by work.
WITH keyed AS (
    SELECT wi.work, COALESCE(i.lineage_root, wi.institution) AS root, wi.country, wi.fractional,
           wi.year, wi.cites,
           wi.status_concepts_v1, wi.status_topics_v1, wi.status_venues_v1, wi.status_any_v1
    FROM work_institutions wi
    LEFT JOIN institutions i ON i.id = wi.institution
),
grouped AS (
    SELECT work, root, country, SUM(fractional) AS fractional, MAX(year) AS year, MAX(cites) AS cites,
           MAX(status_concepts_v1) AS status_concepts_v1, MAX(status_topics_v1) AS status_topics_v1,
           MAX(status_venues_v1) AS status_venues_v1, MAX(status_any_v1) AS status_any_v1
    FROM keyed
    GROUP BY work, root, country
)
SELECT work, root, country, fractional,
       ROW_NUMBER() OVER (PARTITION BY work, root ORDER BY country ASC NULLS FIRST) = 1 AS first,
       year, cites, status_concepts_v1, status_topics_v1, status_venues_v1, status_any_v1
FROM grouped
