-- work_authors: one row per work with a publication year and each distinct
-- author id of its authorships (authorships without an author id add
-- nothing), with the work's citations and its status under each stored
-- profile: what the careers step counts as an author's AI works.
SELECT DISTINCT a.work, a.author, w.year, w.cited_by_count AS cites,
       w.status_concepts_v1, w.status_topics_v1, w.status_venues_v1, w.status_any_v1
FROM authorships a
JOIN works w ON w.id = a.work
WHERE a.author IS NOT NULL AND w.year IS NOT NULL
