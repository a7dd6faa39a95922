-- projection_years: what `talentchain project` fits its cohort model on:
-- each observed year of a researcher in scope (talent_years), with
--   country   the year's main country
--   origin    the main country of the researcher's first observed year (a
--             proxy for where a career started, never nationality)
--   ai_works  the researcher's works of the year in the selection
--             (talent_years': a work with two researchers in scope counts
--             for each)
--   hc_works  those of them that are highly cited (selection_hc)
-- The years between two observed years are not rows: the model counts a
-- researcher as present from the first observed year to the last, in the
-- country of the latest observed year (docs/projection.md).
WITH hc AS (
    -- From the highly cited works (a tenth of the selection at 10%) to
    -- their authors: the hash table is built on the few, not on every
    -- authorship.
    SELECT w.author, w.year, COUNT(*) AS hc_works
    FROM (SELECT work FROM selection_hc WHERE highly_cited) h
    JOIN work_authors w ON w.work = h.work
    GROUP BY w.author, w.year
)
SELECT t.author, t.year, t.country, t.origin, t.ai_works,
       CAST(COALESCE(hc.hc_works, 0) AS BIGINT) AS hc_works
FROM talent_years t
LEFT JOIN hc ON hc.author = t.author AND hc.year = t.year
