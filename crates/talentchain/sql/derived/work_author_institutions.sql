-- work_author_institutions: what a work adds to its authors' career
-- institutions (career_institutions). One row per work with a publication
-- year, author id and institution of the author's authorships in it, with
--   country  the institution's greatest country in those authorships (as
--            authorship_shares takes it: an institution listed twice in an
--            authorship with two countries takes the greater)
--   n        the number of the author's authorships in the work at the
--            institution, each authorship once
-- (authorships without an author id add nothing).
SELECT a.work, a.author, w.year, i.institution, MAX(i.country) AS country,
       CAST(COUNT(DISTINCT a.position) AS INT) AS n
FROM authorships a
JOIN authorship_institutions i ON i.work = a.work AND i.position = a.position
JOIN works w ON w.id = a.work
WHERE a.author IS NOT NULL AND w.year IS NOT NULL
GROUP BY a.work, a.author, w.year, i.institution
