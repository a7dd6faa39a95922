-- custom_profile: a profile whose status ingest did not store (a profile
-- file of the user's) gets the columns a stored profile has, with the
-- suffix `custom`: `status_custom` (ai_status) in works and in the tables
-- that carry the statuses, and `ai_works_custom`, `ai_citations_custom` in
-- author_years (the author's works of the year with that status, and their
-- citations, from work_authors). The metrics then read them as they read a
-- stored profile's. The dataset's own tables are read here under their
-- names with `stored_` in front.
CREATE VIEW works AS
SELECT w.*, s.status AS status_custom
FROM stored_works w
JOIN ai_status s ON s.work = w.id;

CREATE VIEW work_institutions AS
SELECT x.*, s.status AS status_custom
FROM stored_work_institutions x
JOIN ai_status s ON s.work = x.work;

CREATE VIEW work_roots AS
SELECT x.*, s.status AS status_custom
FROM stored_work_roots x
JOIN ai_status s ON s.work = x.work;

CREATE VIEW work_authors AS
SELECT x.*, s.status AS status_custom
FROM stored_work_authors x
JOIN ai_status s ON s.work = x.work;

CREATE VIEW author_years AS
SELECT y.*, COALESCE(c.works, 0) AS ai_works_custom, COALESCE(c.citations, 0) AS ai_citations_custom
FROM stored_author_years y
LEFT JOIN (SELECT author, year, COUNT(*) AS works, SUM(COALESCE(cites, 0)) AS citations
           FROM work_authors
           WHERE status_custom = 'selected'
           GROUP BY author, year) c
  ON c.author = y.author AND c.year = y.year;
