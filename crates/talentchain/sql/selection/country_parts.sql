-- country_parts: each selected work's part in its countries' output, the
-- rows country_years adds up. One row per selected work (the resampling
-- unit of the output metrics' intervals) and country of its authorships:
--   papers_full              1
--   papers_fractional        the country's fractional part of the work
--                            (work_countries: authorship_shares' rule)
--   citations                the work's citations
--   highly_cited             1 if the work is highly cited (selection_hc),
--                            else 0
--   highly_cited_fractional  the fractional part if so, else 0
--   replicate                0: the data as observed. A bootstrap
--                            replicate stands in its own number, each
--                            work's parts weighted by how often the
--                            replicate draws it (metrics::intervals)
SELECT wc.work, wc.country, h.year,
       CAST(1 AS BIGINT) AS papers_full,
       wc.fractional AS papers_fractional,
       CAST(h.cites AS BIGINT) AS citations,
       CAST(CASE WHEN h.highly_cited THEN 1 ELSE 0 END AS BIGINT) AS highly_cited,
       CASE WHEN h.highly_cited THEN wc.fractional ELSE 0.0 END AS highly_cited_fractional,
       CAST(0 AS INT) AS replicate
FROM work_countries wc
JOIN selection_hc h ON h.work = wc.work
