-- selection_counts: how the profile sorts the works of the year range
-- (selected, unknown, rejected), and the selected works left out because
-- they have no publication year (`selected_without_year`).
SELECT status_{{profile}} AS status, COUNT(*) AS works
FROM works
WHERE year BETWEEN $first_year AND $last_year
GROUP BY status_{{profile}}
UNION ALL
SELECT 'selected_without_year' AS status, COUNT(*) AS works
FROM works
WHERE status_{{profile}} = 'selected' AND year IS NULL
