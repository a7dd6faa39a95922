-- collab_shares: each country's international collaboration: its selected
-- works (full count), those that also have another country, and their
-- ratio `international_share`, over the whole range. Sorted by works
-- descending, then country.
WITH n AS (
    SELECT work, COUNT(*) AS n_countries FROM selection_countries GROUP BY work
)
SELECT sc.country, COUNT(*) AS works,
       SUM(CASE WHEN n.n_countries > 1 THEN 1 ELSE 0 END) AS international_works,
       CAST(SUM(CASE WHEN n.n_countries > 1 THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS international_share
FROM selection_countries sc
JOIN n ON n.work = sc.work
GROUP BY sc.country
ORDER BY works DESC, sc.country
