-- Coverage of the paper lists, per venue and year: papers kept (accepted),
-- in the elite tier, with a country for at least one author, authorships,
-- and authorships with a stable author id (OpenReview, or a hashed e-mail).
WITH c AS (SELECT DISTINCT work FROM work_countries),
     a AS (SELECT work, COUNT(*) AS n, COUNT(author) AS ids FROM authorships GROUP BY work)
SELECT w.venue, w.year, COUNT(*) AS papers,
       SUM(CASE WHEN w.elite THEN 1 ELSE 0 END) AS elite,
       COUNT(c.work) AS with_country,
       SUM(a.n) AS authorships,
       SUM(a.ids) AS with_id
FROM works w
LEFT JOIN c ON c.work = w.id
LEFT JOIN a ON a.work = w.id
WHERE w.source = 'paperlists'
GROUP BY w.venue, w.year
ORDER BY w.venue, w.year
