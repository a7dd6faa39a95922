-- work_author_countries: what a work adds to its authors' career tallies.
-- One row per work with a publication year, author id and country, with `n`
-- the number of the author's authorships in the work that have the country
-- (authorships without an author id add nothing).
SELECT a.work, a.author, w.year, c.country, CAST(COUNT(*) AS INT) AS n
FROM authorships a
JOIN authorship_countries c ON c.work = a.work AND c.position = a.position
JOIN works w ON w.id = a.work
WHERE a.author IS NOT NULL AND w.year IS NOT NULL
GROUP BY a.work, a.author, w.year, c.country
