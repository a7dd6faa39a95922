-- career_institutions: the institutions of each author-year of the range,
-- from the career source chosen, with a tally `n` and the institution's
-- country:
--   authorships   the author's authorships at the institution on works of
--                 the year, each once (an institution listed twice in an
--                 authorship with two countries takes the greater, as in
--                 authorship_shares; country as given in the work)
--   affiliations  the author entity's affiliation years: 1 each
-- The works' years are joined before the institutions are grouped, so a
-- filter on the year (projection_orgs reads three) reaches the works' scan
-- and the grouping holds only those years' authorships.
SELECT ca.author, i.year, i.institution, MAX(i.country) AS country, COUNT(*) AS n
FROM authorships ca
JOIN (SELECT ai.work, ai.position, ai.institution, w.year, MAX(ai.country) AS country
      FROM authorship_institutions ai
      JOIN works w ON w.id = ai.work
      WHERE w.year BETWEEN $first_year AND $last_year
      GROUP BY ai.work, ai.position, ai.institution, w.year) i
  ON i.work = ca.work AND i.position = ca.position
WHERE $careers_from = 'authorships'
  AND ca.author IS NOT NULL
GROUP BY ca.author, i.year, i.institution
UNION ALL
SELECT author, year, institution, MAX(country) AS country, CAST(1 AS BIGINT) AS n
FROM author_affiliations
WHERE $careers_from = 'affiliations'
  AND year BETWEEN $first_year AND $last_year
GROUP BY author, year, institution
