-- work_leads: each selected work's lead author, the cluster its parts are
-- resampled with under `--resample lead-authors` (metrics::intervals):
-- the author id of its first authorship that has one (by position). A
-- work without any author id has no row: it is a cluster of its own.
SELECT a.work, FIRST_VALUE(a.author ORDER BY a.position) AS lead
FROM authorships a
JOIN selection s ON s.work = a.work
WHERE a.author IS NOT NULL
GROUP BY a.work
