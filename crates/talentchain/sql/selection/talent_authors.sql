-- talent_authors: one row per researcher in scope with an observed year:
--   first_year, last_year, n_years  of the observed years
--   origin, current                 (talent_years)
--   class        with at least 2 observed years, the OECD STI Scoreboard's
--                notions between the first and last main country:
--                'stayer'    every observed year's main country is the origin
--                'returnee'  current = origin, but some year's is not
--                'emigrant'  current differs from origin (an immigrant of
--                            the current country)
--                with one observed year: 'single_year'
--   abroad_years  observed years whose main country is not the origin
--   moves         observed years whose previous one had another country
--   ai_citations  the citations of the researcher's AI works (talent_scope)
WITH a AS (
    SELECT author, MIN(year) AS first_year, MAX(year) AS last_year, COUNT(*) AS n_years,
           MAX(origin) AS origin, MAX(current) AS current,
           SUM(CASE WHEN country <> origin THEN 1 ELSE 0 END) AS abroad_years,
           SUM(CASE WHEN prev IS NOT NULL AND prev <> country THEN 1 ELSE 0 END) AS moves
    FROM talent_years
    GROUP BY author
)
SELECT a.author, a.first_year, a.last_year, a.n_years, a.origin, a.current,
       CASE WHEN a.n_years < 2 THEN 'single_year'
            WHEN a.current <> a.origin THEN 'emigrant'
            WHEN a.abroad_years = 0 THEN 'stayer'
            ELSE 'returnee' END AS class,
       a.abroad_years, a.moves, s.ai_citations
FROM a
JOIN talent_scope s ON s.author = a.author
