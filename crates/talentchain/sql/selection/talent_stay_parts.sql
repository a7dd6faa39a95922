-- talent_stay_parts: each researcher's part in talent_stays, the rows it
-- adds up: one row per researcher in scope and each host country, a
-- country other than their origin that was the main country of one of
-- their observed years (talent_years; so the researcher has at least 2
-- observed years), with
--   arrived    1
--   followed   1 when the researcher has an observed year after the first
--              one in the host: where they went next can be seen (a
--              researcher last seen in their first year there would count
--              as staying by construction: right-censored, left out)
--   stayed, returned, moved_on   of the followed, 1 in the column of their
--              current (last observed) main country: the host, the origin,
--              or another country
-- and replicate 0, the data as observed (country_parts says more).
WITH hosts AS (
    SELECT author, origin, country AS host, MIN(year) AS first_in_host,
           MIN(current) AS current
    FROM talent_years
    WHERE country <> origin
    GROUP BY author, origin, country
),
f AS (
    SELECT h.author, h.origin, h.host, h.current,
           CASE WHEN a.last_year > h.first_in_host THEN 1 ELSE 0 END AS followed
    FROM hosts h
    JOIN talent_authors a ON a.author = h.author
)
SELECT author, origin, host,
       CAST(1 AS BIGINT) AS arrived,
       CAST(followed AS BIGINT) AS followed,
       CAST(CASE WHEN followed = 1 AND current = host THEN 1 ELSE 0 END AS BIGINT) AS stayed,
       CAST(CASE WHEN followed = 1 AND current = origin THEN 1 ELSE 0 END AS BIGINT) AS returned,
       CAST(CASE WHEN followed = 1 AND current <> host AND current <> origin THEN 1 ELSE 0 END AS BIGINT) AS moved_on,
       CAST(0 AS INT) AS replicate
FROM f
