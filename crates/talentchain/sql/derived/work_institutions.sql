-- work_institutions: one row per work, institution and the institution's
-- country as given in the work, with its fractional share of the work
-- (authorship_shares' rule, one level down from countries), and what the
-- metrics read without joining works: the work's year, its citations and
-- the status under each stored profile.
--
-- An institution given two countries by two authorships of a work has two
-- rows; `first` marks one of them (the smallest country, a missing one
-- first), so that counting works counts it once.
WITH parts AS (
    SELECT work, unit AS institution, country, SUM(work_share) AS fractional
    FROM authorship_shares
    WHERE kind = 'institution'
    GROUP BY work, unit, country
)
SELECT p.work, p.institution, p.country, p.fractional,
       ROW_NUMBER() OVER (PARTITION BY p.work, p.institution ORDER BY p.country ASC NULLS FIRST) = 1 AS first,
       w.year, w.cited_by_count AS cites,
       w.status_concepts_v1, w.status_topics_v1, w.status_venues_v1, w.status_any_v1
FROM parts p
JOIN works w ON w.id = p.work
