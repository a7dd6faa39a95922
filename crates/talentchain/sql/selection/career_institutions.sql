-- career_institutions: the institutions of each author-year of the range,
-- from the career source chosen, with a tally `n` and the institution's
-- country:
--   authorships   the author's authorships at the institution on works of
--                 the year, each once (an institution listed twice in an
--                 authorship with two countries takes the greater, as in
--                 authorship_shares; country as given in the work)
--   affiliations  the author entity's affiliation years: 1 each
SELECT ca.author, w.year, i.institution, MAX(i.country) AS country, COUNT(*) AS n
FROM authorships ca
JOIN works w ON w.id = ca.work
JOIN (SELECT work, position, institution, MAX(country) AS country
      FROM authorship_institutions
      GROUP BY work, position, institution) i
  ON i.work = ca.work AND i.position = ca.position
WHERE $careers_from = 'authorships'
  AND ca.author IS NOT NULL
  AND w.year BETWEEN $first_year AND $last_year
GROUP BY ca.author, w.year, i.institution
UNION ALL
SELECT author, year, institution, MAX(country) AS country, CAST(1 AS BIGINT) AS n
FROM author_affiliations
WHERE $careers_from = 'affiliations'
  AND year BETWEEN $first_year AND $last_year
GROUP BY author, year, institution
