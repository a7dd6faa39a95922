-- institution_parts: each selected work's part in the institutions
-- ranking, the rows it adds up: for each row of work_institutions (or,
-- with `rollup`, of work_roots) of a selected work (the resampling unit
-- of the output metrics' intervals), its institution (or lineage root) as
-- `entity`, and
--   papers_full              1 on the work's `first` row for the entity
--                            (so a work counts once), else 0
--   papers_fractional        the row's fractional part
--   citations, highly_cited  the work's citations, and 1 if it is highly
--                            cited (selection_ranks), on its first row
--   replicate                0: the data as observed (country_parts says
--                            more)
WITH entity_rows AS (
    SELECT work, root AS entity, fractional, first, year, COALESCE(cites, 0) AS cites
    FROM work_roots
    WHERE $rollup AND status_{{profile}} = 'selected' AND year BETWEEN $first_year AND $last_year
    UNION ALL
    SELECT work, institution AS entity, fractional, first, year, COALESCE(cites, 0) AS cites
    FROM work_institutions
    WHERE NOT $rollup AND status_{{profile}} = 'selected' AND year BETWEEN $first_year AND $last_year
)
SELECT r.work, r.entity,
       CAST(CASE WHEN r.first THEN 1 ELSE 0 END AS BIGINT) AS papers_full,
       r.fractional AS papers_fractional,
       CAST(CASE WHEN r.first THEN r.cites ELSE 0 END AS BIGINT) AS citations,
       CAST(CASE WHEN r.first AND k.highly_cited THEN 1 ELSE 0 END AS BIGINT) AS highly_cited,
       CAST(0 AS INT) AS replicate
FROM entity_rows r
JOIN selection_ranks k ON k.year = r.year AND k.cites = r.cites
