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
-- The researchers are conversion_author_parts added up (researchers
-- resampled), the works conversion_work_parts and their totals
-- conversion_total_parts (works resampled); each row carries its replicate
-- (countries.sql says more).
-- Sorted by works descending, then country.
WITH per AS (
    SELECT country, replicate, SUM(works) AS works, SUM(highly_cited) AS highly_cited,
           SUM(fractional) AS fractional
    FROM conversion_work_parts
    GROUP BY country, replicate
),
total AS (
    SELECT replicate, SUM(works) AS works, SUM(highly_cited) AS highly_cited, SUM(fractional) AS fractional
    FROM conversion_total_parts
    GROUP BY replicate
),
researchers AS (
    SELECT country, replicate, SUM(researchers) AS researchers
    FROM conversion_author_parts
    GROUP BY country, replicate
)
SELECT per.country, COALESCE(r.researchers, 0) AS researchers, per.works, per.highly_cited,
       CAST(per.works AS DOUBLE) / NULLIF(total.works, 0) AS works_share,
       CAST(per.highly_cited AS DOUBLE) / NULLIF(total.highly_cited, 0) AS highly_cited_share,
       per.fractional, per.fractional / NULLIF(total.fractional, 0) AS fractional_share,
       per.replicate
FROM per
JOIN total ON total.replicate = per.replicate
LEFT JOIN researchers r ON r.country = per.country AND r.replicate = per.replicate
ORDER BY per.works DESC, per.country
