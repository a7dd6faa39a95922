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
-- talent_org_parts added up; each row carries its replicate (countries.sql
-- says more). Sorted by researchers descending, then institution.
WITH mix AS (
    SELECT org, origin, replicate, SUM(researchers) AS n
    FROM talent_org_parts
    GROUP BY org, origin, replicate
),
total AS (
    SELECT org, replicate, SUM(n) AS researchers FROM mix GROUP BY org, replicate
),
agg AS (
    SELECT m.org, m.replicate, t.researchers,
           string_agg(m.origin || ':' || CAST(m.n AS VARCHAR), ';' ORDER BY m.n DESC, m.origin) AS origins,
           SUM(CAST(m.n AS DOUBLE) * m.n) / (CAST(t.researchers AS DOUBLE) * t.researchers) AS hhi
    FROM mix m
    JOIN total t ON t.org = m.org AND t.replicate = m.replicate
    GROUP BY m.org, m.replicate, t.researchers
),
top_origin AS (
    SELECT org, replicate, FIRST_VALUE(origin ORDER BY n DESC, origin) AS origin, MAX(n) AS n
    FROM mix
    GROUP BY org, replicate
),
ranked AS (
    SELECT a.org AS institution, e.name, e.country, e.sector, a.researchers, a.origins,
           o.origin AS top_origin, CAST(o.n AS DOUBLE) / a.researchers AS top_origin_share,
           CASE WHEN e.country IS NULL THEN NULL
                ELSE CAST(a.researchers - COALESCE(home.n, 0) AS DOUBLE) / a.researchers END AS foreign_share,
           a.hhi, a.replicate,
           ROW_NUMBER() OVER (PARTITION BY a.replicate ORDER BY a.researchers DESC, a.org) AS rank
    FROM agg a
    JOIN top_origin o ON o.org = a.org AND o.replicate = a.replicate
    LEFT JOIN institutions e ON e.id = a.org
    LEFT JOIN mix home ON home.org = a.org AND home.origin = e.country AND home.replicate = a.replicate
)
SELECT institution, name, country, sector, researchers, origins, top_origin, top_origin_share,
       foreign_share, hhi, replicate
FROM ranked
WHERE $row_limit IS NULL OR rank <= $row_limit
ORDER BY rank
