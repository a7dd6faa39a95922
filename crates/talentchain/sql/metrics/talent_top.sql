-- talent_top: the researchers with the most citations within the corpus,
-- with their h-index, origin, current country and institution:
--   works, citations  the researcher's distinct AI works (the selection) and
--                the sum of their citations (counted by all of OpenAlex;
--                the works are only those in the dataset)
--   h_index      the largest h such that h of those works have at least h
--                citations each
--   origin, current, class  as in talent_countries (null without an
--                observed year); institution: the main institution of the
--                last observed year (careers)
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
),
names AS (
    SELECT author, MIN(author_name) AS name
    FROM authorships
    WHERE author_name IS NOT NULL
    GROUP BY author
),
ranked AS (
    SELECT CAST(ROW_NUMBER() OVER (ORDER BY
                CASE WHEN $researcher_sort = 'h-index' THEN h.h_index ELSE h.citations END DESC,
                CASE WHEN $researcher_sort = 'h-index' THEN h.citations ELSE h.h_index END DESC,
                h.author) AS BIGINT) AS rank,
           h.author, COALESCE(au.name, nm.name) AS name, h.works, h.citations, h.h_index,
           t.origin, t.current, t.class, c.institution, e.name AS institution_name
    FROM h
    LEFT JOIN talent_authors t ON t.author = h.author
    LEFT JOIN careers c ON c.author = h.author AND c.year = t.last_year
    LEFT JOIN institutions e ON e.id = c.institution
    LEFT JOIN authors au ON au.id = h.author
    LEFT JOIN names nm ON nm.author = h.author
)
SELECT * FROM ranked
WHERE $row_limit IS NULL OR rank <= $row_limit
ORDER BY rank
