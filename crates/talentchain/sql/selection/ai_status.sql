-- ai_status: each work's status under the AI profile, by three-valued OR of
-- the profile's rules (concepts, topics, venues: profile_hits and
-- profile_known, one row per rule and work, made from the profile's file):
--   'selected'  some rule selects the work
--   'rejected'  every rule has the data it reads (concepts, topics, a venue)
--               and none selects the work
--   'unknown'   otherwise: a rule lacks the data to tell
-- A profile with `select_all` selects every work.
-- profile_hits and profile_known hold each (rule, work) once, so a work's
-- known rules are its rows in profile_known: one pass over both.
WITH rules AS (
    SELECT work, 1 AS hit, 0 AS known FROM profile_hits
    UNION ALL
    SELECT work, 0 AS hit, 1 AS known FROM profile_known
),
per_work AS (
    SELECT work, MAX(hit) AS hit, SUM(known) AS n_known
    FROM rules
    GROUP BY work
)
SELECT w.id AS work,
       CASE WHEN p.hit = 1 THEN 'selected'
            WHEN p.n_known = $n_rules THEN 'rejected'
            ELSE 'unknown' END AS status
FROM works w
LEFT JOIN per_work p ON p.work = w.id
