-- collab_pairs: international co-authorship, the country x country matrix
-- in long form: one row per unordered pair with country_a < country_b
-- (read a pair once), `works` the selected works with authorships in both
-- countries (an authorship with two countries links them too), over the
-- whole range: collab_pair_parts added up. Each row carries its replicate
-- (countries.sql says more). Sorted by works descending, then the codes.
SELECT country_a, country_b, SUM(works) AS works, replicate
FROM collab_pair_parts
GROUP BY country_a, country_b, replicate
ORDER BY works DESC, country_a, country_b
