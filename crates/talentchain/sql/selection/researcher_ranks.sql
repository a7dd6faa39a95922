-- researcher_ranks: the researchers in scope (talent_scope) ranked by
-- their citations within the corpus:
--   works, citations  the researcher's distinct AI works (the selection) and
--                the sum of their citations (counted by all of OpenAlex;
--                the works are only those in the dataset): researcher_parts
--                added up, per replicate
--   h_index      the largest h such that h of those works have at least h
--                citations each (researcher_works: as observed, in every
--                replicate)
--   rank         1, 2, ... by the sort column descending (citations, or
--                h-index), then the other, then author id, per replicate
WITH ranked_works AS (
    SELECT author, cites, ROW_NUMBER() OVER (PARTITION BY author ORDER BY cites DESC) AS rn
    FROM researcher_works
),
h AS (
    SELECT author, CAST(COALESCE(MAX(CASE WHEN cites >= rn THEN rn END), 0) AS BIGINT) AS h_index
    FROM ranked_works
    GROUP BY author
),
sums AS (
    SELECT author, replicate, SUM(works) AS works, SUM(citations) AS citations
    FROM researcher_parts
    GROUP BY author, replicate
)
-- (A LEFT JOIN, though every researcher has an h-index: over an inner
-- join, Ballista takes the window's PARTITION BY replicate, a constant in
-- the plan of the data as observed, for unordered and fails.)
SELECT CAST(ROW_NUMBER() OVER (PARTITION BY s.replicate ORDER BY
            CASE WHEN $researcher_sort = 'h-index' THEN h.h_index ELSE s.citations END DESC,
            CASE WHEN $researcher_sort = 'h-index' THEN s.citations ELSE h.h_index END DESC,
            s.author) AS BIGINT) AS rank,
       s.author, s.works, s.citations, COALESCE(h.h_index, 0) AS h_index, s.replicate
FROM sums s
LEFT JOIN h ON h.author = s.author
