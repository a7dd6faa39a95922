-- institutions: a ranking of institutions (with `rollup`, of their lineage
-- roots: the Chinese Academy of Sciences' institutes under CAS, a
-- company's national offices under the company) by AI output, citations
-- and highly cited works, with where the output comes from.
--
--   papers_full        selected works with an authorship at the entity
--   papers_fractional  the entity's fractional parts of them
--                      (work_institutions, work_roots: authorship_shares'
--                      rule one level down from countries; the parts of
--                      several institutes of one root add up)
--   citations, highly_cited  over the works counted in papers_full
--   lab_countries      where the entity's works come from, `US:120;GB:40`:
--                      per country of the institution as given in the work,
--                      the works with an authorship at the entity there;
--                      most first, ties by code, no country left out
--   rank               1, 2, ... by the sort column descending, ties by id;
--                      after the sector filter, before the row limit
-- `type` keeps one sector of the ranked entity (the root's with rollup).
WITH entity_rows AS (
    SELECT root AS entity, country, fractional, first, year, COALESCE(cites, 0) AS cites
    FROM work_roots
    WHERE $rollup AND status_{{profile}} = 'selected' AND year BETWEEN $first_year AND $last_year
    UNION ALL
    SELECT institution AS entity, country, fractional, first, year, COALESCE(cites, 0) AS cites
    FROM work_institutions
    WHERE NOT $rollup AND status_{{profile}} = 'selected' AND year BETWEEN $first_year AND $last_year
),
per AS (
    SELECT entity, replicate,
           SUM(papers_full) AS papers_full,
           SUM(papers_fractional) AS papers_fractional,
           SUM(citations) AS citations,
           SUM(highly_cited) AS highly_cited
    FROM institution_parts
    GROUP BY entity, replicate
),
labs AS (
    SELECT entity, string_agg(country || ':' || CAST(n AS VARCHAR), ';' ORDER BY n DESC, country) AS lab_countries
    FROM (SELECT entity, country, COUNT(*) AS n FROM entity_rows
          WHERE country IS NOT NULL GROUP BY entity, country) c
    GROUP BY entity
),
ranked AS (
    SELECT CAST(ROW_NUMBER() OVER (PARTITION BY per.replicate ORDER BY
                CASE $institution_sort
                    WHEN 'fractional' THEN per.papers_fractional
                    WHEN 'citations' THEN CAST(per.citations AS DOUBLE)
                    WHEN 'highly-cited' THEN CAST(per.highly_cited AS DOUBLE)
                    ELSE CAST(per.papers_full AS DOUBLE) END DESC,
                per.entity) AS BIGINT) AS rank,
           per.entity AS institution, e.name, e.country, COALESCE(e.sector, 'other') AS sector,
           per.papers_full, per.papers_fractional, per.citations, per.highly_cited, labs.lab_countries,
           per.replicate
    FROM per
    LEFT JOIN institutions e ON e.id = per.entity
    LEFT JOIN labs ON labs.entity = per.entity
    WHERE $sector IS NULL OR COALESCE(e.sector, 'other') = $sector
)
SELECT * FROM ranked
WHERE $row_limit IS NULL OR rank <= $row_limit
ORDER BY rank
