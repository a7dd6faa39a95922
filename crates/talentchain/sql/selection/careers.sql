-- careers: one row per author and year with a work of theirs in the range
-- (from affiliations, also per affiliation year), from the career source
-- chosen:
--   country, tally  the year's main country and its tally (career_countries;
--                   null in a year without a country: not observed)
--   countries       the whole tally, `US:2;CN:1`, highest first
--   institution     the main institution: the highest tally among the
--                   year's institutions in the main country (else among
--                   all), ties to the smallest id; `institutions` all of
--                   them, `I1;I2`, highest tally first; `sector` the main
--                   institution's
--   works, citations  the author's distinct works of the year (AI or not)
--                   and the sum of their citations; `ai_works` those in
--                   the selection
WITH career_works AS (
    SELECT DISTINCT a.author, w.year, a.work, COALESCE(w.cited_by_count, 0) AS cites
    FROM authorships a
    JOIN works w ON w.id = a.work
    WHERE a.author IS NOT NULL AND w.year BETWEEN $first_year AND $last_year
),
tally AS (
    SELECT author, year, country, n FROM career_tallies
    WHERE source = $careers_from AND year BETWEEN $first_year AND $last_year
),
main AS (
    SELECT author, year, country, n FROM career_countries
    WHERE source = $careers_from AND year BETWEEN $first_year AND $last_year
),
listed AS (
    SELECT author, year,
           string_agg(country || ':' || CAST(n AS VARCHAR), ';' ORDER BY n DESC, country) AS countries
    FROM tally
    GROUP BY author, year
),
main_institution AS (
    SELECT author, year, institution
    FROM (SELECT i.author, i.year, i.institution,
                 ROW_NUMBER() OVER (PARTITION BY i.author, i.year
                                    ORDER BY CASE WHEN i.country = m.country THEN 0 ELSE 1 END,
                                             i.n DESC, i.institution) AS rn
          FROM career_institutions i
          LEFT JOIN main m ON m.author = i.author AND m.year = i.year) t
    WHERE rn = 1
),
institutions_listed AS (
    SELECT author, year, string_agg(institution, ';' ORDER BY n DESC, institution) AS institutions
    FROM career_institutions
    GROUP BY author, year
),
works_of_year AS (
    SELECT c.author, c.year, COUNT(*) AS works,
           SUM(CASE WHEN s.work IS NULL THEN 0 ELSE 1 END) AS ai_works,
           SUM(c.cites) AS citations
    FROM career_works c
    LEFT JOIN selection s ON s.work = c.work
    GROUP BY c.author, c.year
),
-- The rows: the years with a work, and from affiliations also the
-- affiliation years (each branch is left out for the other source).
keys AS (
    SELECT author, year FROM works_of_year WHERE $careers_from = 'authorships'
    UNION ALL
    SELECT author, year
    FROM (SELECT author, year FROM works_of_year
          UNION
          SELECT author, year FROM career_institutions) y
    WHERE $careers_from = 'affiliations'
)
SELECT k.author, k.year, m.country, m.n AS tally, l.countries, mi.institution, il.institutions,
       e.sector, COALESCE(w.works, 0) AS works, COALESCE(w.ai_works, 0) AS ai_works,
       COALESCE(w.citations, 0) AS citations
FROM keys k
LEFT JOIN main m ON m.author = k.author AND m.year = k.year
LEFT JOIN listed l ON l.author = k.author AND l.year = k.year
LEFT JOIN main_institution mi ON mi.author = k.author AND mi.year = k.year
LEFT JOIN institutions_listed il ON il.author = k.author AND il.year = k.year
LEFT JOIN institutions e ON e.id = mi.institution
LEFT JOIN works_of_year w ON w.author = k.author AND w.year = k.year
