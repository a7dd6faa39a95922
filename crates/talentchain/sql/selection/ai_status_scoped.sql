-- ai_status_scoped: a profile narrowed to one source and some venues (the
-- settings `source` and `venue`): the profile's status (ai_status_unscoped,
-- by ai_status.sql) for the works in the scope (profile_scope, one row per
-- work of that source and venue), and 'rejected' for every other work: a
-- work outside the scope is known and not selected.
SELECT s.work,
       CASE WHEN p.work IS NULL THEN 'rejected' ELSE s.status END AS status
FROM ai_status_unscoped s
LEFT JOIN profile_scope p ON p.work = s.work
