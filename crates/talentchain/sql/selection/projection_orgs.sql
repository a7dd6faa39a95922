-- projection_orgs: the organisations whose origin mix `talentchain
-- project` carries forward: for each organisation (an institution's
-- lineage root: a company with its labs abroad, an academy with its
-- institutes), each country where it has researchers (the institution's
-- country as given in the works), each origin and each year, the
-- researchers in scope with an origin (talent_authors) with that career
-- year at one of its institutions (career_institutions), and the root's
-- name. A researcher at two institutes of one organisation in a year
-- counts once.
SELECT COALESCE(e.lineage_root, i.institution) AS org, r.name, i.country, t.origin, i.year,
       COUNT(DISTINCT i.author) AS researchers
FROM career_institutions i
JOIN talent_authors t ON t.author = i.author
LEFT JOIN institutions e ON e.id = i.institution
LEFT JOIN institutions r ON r.id = COALESCE(e.lineage_root, i.institution)
WHERE i.country IS NOT NULL AND t.origin IS NOT NULL
GROUP BY COALESCE(e.lineage_root, i.institution), r.name, i.country, t.origin, i.year
