-- selection_counts: how the profile sorts the works of the year range
-- (selected, unknown, rejected), and the selected works left out because
-- they have no publication year (`selected_without_year`); with each
-- status, how many of its works come from conference paper lists
-- (`from_paperlists`: their citations are Google Scholar's, kept apart, so
-- the citation columns count them as 0; the notes name them when there are
-- any).
SELECT status_{{profile}} AS status, COUNT(*) AS works,
       CAST(SUM(CASE WHEN source = 'paperlists' THEN 1 ELSE 0 END) AS BIGINT) AS from_paperlists
FROM works
WHERE year BETWEEN $first_year AND $last_year
GROUP BY status_{{profile}}
UNION ALL
SELECT 'selected_without_year' AS status, COUNT(*) AS works,
       CAST(SUM(CASE WHEN source = 'paperlists' THEN 1 ELSE 0 END) AS BIGINT) AS from_paperlists
FROM works
WHERE status_{{profile}} = 'selected' AND year IS NULL
