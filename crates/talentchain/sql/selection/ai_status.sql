-- ai_status: each work's status under the AI profile, by three-valued OR of
-- the profile's rules (concepts, topics, venues: profile_hits and
-- profile_known, one row per rule and work, made from the profile's file):
--   'selected'  some rule selects the work
--   'rejected'  every rule has the data it reads (concepts, topics, a venue)
--               and none selects the work
--   'unknown'   otherwise: a rule lacks the data to tell
-- A profile with `select_all` selects every work.
WITH hits AS (SELECT DISTINCT work FROM profile_hits),
     known AS (SELECT work, COUNT(DISTINCT rule) AS n_rules FROM profile_known GROUP BY work)
SELECT w.id AS work,
       CASE WHEN h.work IS NOT NULL THEN 'selected'
            WHEN k.n_rules = $n_rules THEN 'rejected'
            ELSE 'unknown' END AS status
FROM works w
LEFT JOIN hits h ON h.work = w.id
LEFT JOIN known k ON k.work = w.id
