-- talent_orgs: for each institution (with `rollup`, each lineage root: a
-- company, an academy of sciences), the origin mix of its researchers and
-- how much it depends on a single country's talent supply:
--   researchers       researchers in scope with an origin and at least one
--                     career year at the organisation (career_institutions)
--   origins           their origins, `CN:12;US:8`, most first, ties by code;
--                     top_origin, top_origin_share the first of them
--   foreign_share     the share whose origin is not the organisation's
--                     country (null when that is unknown)
--   hhi               the Herfindahl-Hirschman index of the origin shares,
--                     sum of s_i^2, from 1/n (an even mix of n origins) to 1
--                     (a single origin); the antitrust scale is hhi * 10000
-- Sorted by researchers descending, then institution.
WITH researcher_orgs AS (
    SELECT DISTINCT CASE WHEN $rollup THEN COALESCE(e.lineage_root, i.institution) ELSE i.institution END AS org,
           i.author
    FROM career_institutions i
    JOIN talent_authors t ON t.author = i.author
    LEFT JOIN institutions e ON e.id = i.institution
),
mix AS (
    SELECT ro.org, t.origin, COUNT(*) AS n
    FROM researcher_orgs ro
    JOIN talent_authors t ON t.author = ro.author
    GROUP BY ro.org, t.origin
),
total AS (
    SELECT org, SUM(n) AS researchers FROM mix GROUP BY org
),
agg AS (
    SELECT m.org, t.researchers,
           string_agg(m.origin || ':' || CAST(m.n AS VARCHAR), ';' ORDER BY m.n DESC, m.origin) AS origins,
           SUM(CAST(m.n AS DOUBLE) * m.n) / (CAST(t.researchers AS DOUBLE) * t.researchers) AS hhi
    FROM mix m
    JOIN total t ON t.org = m.org
    GROUP BY m.org, t.researchers
),
top_origin AS (
    SELECT org, origin, n
    FROM (SELECT org, origin, n, ROW_NUMBER() OVER (PARTITION BY org ORDER BY n DESC, origin) AS rn FROM mix) x
    WHERE rn = 1
),
ranked AS (
    SELECT a.org AS institution, e.name, e.country, e.sector, a.researchers, a.origins,
           o.origin AS top_origin, CAST(o.n AS DOUBLE) / a.researchers AS top_origin_share,
           CASE WHEN e.country IS NULL THEN NULL
                ELSE CAST(a.researchers - COALESCE(home.n, 0) AS DOUBLE) / a.researchers END AS foreign_share,
           a.hhi,
           ROW_NUMBER() OVER (ORDER BY a.researchers DESC, a.org) AS rank
    FROM agg a
    JOIN top_origin o ON o.org = a.org
    LEFT JOIN institutions e ON e.id = a.org
    LEFT JOIN mix home ON home.org = a.org AND home.origin = e.country
)
SELECT institution, name, country, sector, researchers, origins, top_origin, top_origin_share,
       foreign_share, hhi
FROM ranked
WHERE $row_limit IS NULL OR rank <= $row_limit
ORDER BY rank
