-- talent_top: the researchers with the most citations within the corpus
-- (researcher_ranks: rank, works, citations, h-index), the first `limit`
-- of them, with
--   name         the author entity's, else the smallest name on their
--                authorships
--   origin, current, class  as in talent_countries (null without an
--                observed year); institution: the main institution of the
--                last observed year (careers)
-- The careers are read for the ranked rows only: `$top_authors` lists
-- them when a limit is set (bound by the run from researcher_ranks), so
-- that the filter reaches the careers' own tables. Each row carries its
-- replicate (countries.sql says more).
WITH top AS (
    SELECT * FROM researcher_ranks
    WHERE $row_limit IS NULL OR rank <= $row_limit
),
names AS (
    SELECT author, MIN(author_name) AS name
    FROM authorships
    WHERE author_name IS NOT NULL
    GROUP BY author
),
top_careers AS (
    SELECT author, year, institution
    FROM careers
    WHERE $top_authors IS NULL OR array_has($top_authors, author)
)
SELECT r.rank, r.author, COALESCE(au.name, nm.name) AS name, r.works, r.citations, r.h_index,
       t.origin, t.current, t.class, c.institution, e.name AS institution_name, r.replicate
FROM top r
LEFT JOIN talent_authors t ON t.author = r.author
LEFT JOIN top_careers c ON c.author = r.author AND c.year = t.last_year
LEFT JOIN institutions e ON e.id = c.institution
LEFT JOIN authors au ON au.id = r.author
LEFT JOIN names nm ON nm.author = r.author
ORDER BY r.replicate, r.rank
