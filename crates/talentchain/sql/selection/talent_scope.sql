-- talent_scope: the researchers in scope: the authors with at least
-- `min_works` works in the AI selection (the profile's works of the year
-- range), with the sum of those works' citations. Their careers use every
-- work of theirs in the range, AI or not.
SELECT author,
       CAST(SUM(ai_works_{{profile}}) AS BIGINT) AS ai_works,
       CAST(SUM(ai_citations_{{profile}}) AS BIGINT) AS ai_citations
FROM author_years
WHERE year BETWEEN $first_year AND $last_year
GROUP BY author
HAVING SUM(ai_works_{{profile}}) >= $min_works
