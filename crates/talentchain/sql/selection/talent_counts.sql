-- talent_counts: the researchers in scope, those with an origin (at least
-- one observed year) and those with at least two observed years (a
-- mobility class), for the notes.
SELECT (SELECT COUNT(*) FROM talent_scope) AS researchers,
       (SELECT COUNT(*) FROM talent_authors) AS observed,
       (SELECT COUNT(*) FROM talent_authors WHERE n_years >= 2) AS mobile_observable
