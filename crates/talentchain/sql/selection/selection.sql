-- selection: the works every metric starts from: those the AI profile
-- selects whose publication year is known and within the range, with their
-- citations (`cited_by_count`, a missing count as 0).
SELECT id AS work, year, COALESCE(cited_by_count, 0) AS cites
FROM works
WHERE status_{{profile}} = 'selected'
  AND year BETWEEN $first_year AND $last_year
