-- collab_shares: each country's international collaboration: its selected
-- works (full count), those that also have another country, and their
-- ratio `international_share`, over the whole range: collab_parts added
-- up. Each row carries its replicate (countries.sql says more). Sorted by
-- works descending, then country.
SELECT country, SUM(works) AS works, SUM(international_works) AS international_works,
       CAST(SUM(international_works) AS DOUBLE) / NULLIF(SUM(works), 0) AS international_share,
       replicate
FROM collab_parts
GROUP BY country, replicate
ORDER BY works DESC, country
