-- researcher_ranks: the researchers in scope (talent_scope) ranked by
-- their citations within the corpus:
--   works, citations  the researcher's distinct AI works (the selection) and
--                the sum of their citations (counted by all of OpenAlex;
--                the works are only those in the dataset)
--   h_index      the largest h such that h of those works have at least h
--                citations each
--   rank         1, 2, ... by the sort column descending (citations, or
--                h-index), then the other, then author id
WITH researcher_works AS (
    SELECT DISTINCT a.author, s.work, s.cites
    FROM authorships a
    JOIN talent_scope t ON t.author = a.author
    JOIN selection s ON s.work = a.work
),
ranked_works AS (
    SELECT author, cites, ROW_NUMBER() OVER (PARTITION BY author ORDER BY cites DESC) AS rn
    FROM researcher_works
),
h AS (
    SELECT author, COUNT(*) AS works, SUM(cites) AS citations,
           CAST(COALESCE(MAX(CASE WHEN cites >= rn THEN rn END), 0) AS BIGINT) AS h_index
    FROM ranked_works
    GROUP BY author
)
SELECT CAST(ROW_NUMBER() OVER (ORDER BY
            CASE WHEN $researcher_sort = 'h-index' THEN h_index ELSE citations END DESC,
            CASE WHEN $researcher_sort = 'h-index' THEN citations ELSE h_index END DESC,
            author) AS BIGINT) AS rank,
       author, works, citations, h_index
FROM h
