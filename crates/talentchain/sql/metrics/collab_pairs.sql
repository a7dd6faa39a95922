-- collab_pairs: international co-authorship, the country x country matrix
-- in long form: one row per unordered pair with country_a < country_b
-- (read a pair once), `works` the selected works with authorships in both
-- countries (an authorship with two countries links them too), over the
-- whole range. Sorted by works descending, then the codes.
SELECT a.country AS country_a, b.country AS country_b, COUNT(*) AS works
FROM selection_countries a
JOIN selection_countries b ON a.work = b.work AND a.country < b.country
GROUP BY a.country, b.country
ORDER BY works DESC, country_a, country_b
