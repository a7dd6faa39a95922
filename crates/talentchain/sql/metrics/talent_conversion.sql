-- talent_conversion: where the researchers whose origin is `origin` produce
-- their AI works and their highly cited works, by the country of their
-- affiliation on each work:
--   researchers  researchers in scope of that origin with an authorship in
--                the country on an AI work
--   works, highly_cited  distinct AI works (highly cited ones) with an
--                authorship of such a researcher in the country;
--                works_share, highly_cited_share over the distinct works
--                (highly cited works) of those researchers that have a
--                country: a work whose researchers of that origin sit in
--                several countries counts for each, so these shares can add
--                up past 1
--   fractional   each of their authorships on an AI work split among its
--                countries (authorship_shares' rule); fractional_share adds
--                up to 1
-- Sorted by works descending, then country.
WITH researcher_slots AS (
    SELECT DISTINCT a.author, a.work, a.position
    FROM authorships a
    JOIN talent_authors r ON r.author = a.author AND r.origin = $origin
    JOIN selection s ON s.work = a.work
),
-- Each slot's part of its authorship is 1 / the authorship's countries
-- (`authorships.n_countries`: authorship_shares' authorship_share, which a
-- test checks equal), read for these researchers' slots only.
slot_countries AS (
    SELECT t.author, t.work, c.country, 1.0 / CAST(a.n_countries AS DOUBLE) AS authorship_share,
           h.highly_cited
    FROM researcher_slots t
    JOIN authorships a ON a.work = t.work AND a.position = t.position
    JOIN authorship_countries c ON c.work = t.work AND c.position = t.position
    JOIN selection_hc h ON h.work = t.work
),
per AS (
    SELECT country, COUNT(DISTINCT author) AS researchers, COUNT(DISTINCT work) AS works,
           COUNT(DISTINCT CASE WHEN highly_cited THEN work END) AS highly_cited,
           SUM(authorship_share) AS fractional
    FROM slot_countries
    GROUP BY country
),
total AS (
    SELECT COUNT(DISTINCT work) AS works, COUNT(DISTINCT CASE WHEN highly_cited THEN work END) AS highly_cited,
           SUM(authorship_share) AS fractional
    FROM slot_countries
)
SELECT per.country, per.researchers, per.works, per.highly_cited,
       CAST(per.works AS DOUBLE) / NULLIF(total.works, 0) AS works_share,
       CAST(per.highly_cited AS DOUBLE) / NULLIF(total.highly_cited, 0) AS highly_cited_share,
       per.fractional, per.fractional / NULLIF(total.fractional, 0) AS fractional_share
FROM per
CROSS JOIN total
ORDER BY per.works DESC, per.country
