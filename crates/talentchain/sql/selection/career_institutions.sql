-- career_institutions: the institutions of each author-year of the range,
-- from the career source chosen, with a tally `n` and the institution's
-- country:
--   authorships   the author's authorships at the institution on works of
--                 the year, each once (an institution listed twice in an
--                 authorship with two countries takes the greater, as in
--                 authorship_shares; country as given in the work): the
--                 sum of what each work adds (work_author_institutions)
--   affiliations  the author entity's affiliation years: 1 each
SELECT author, year, institution, MAX(country) AS country, CAST(SUM(n) AS BIGINT) AS n
FROM work_author_institutions
WHERE $careers_from = 'authorships'
  AND year BETWEEN $first_year AND $last_year
GROUP BY author, year, institution
UNION ALL
SELECT author, year, institution, MAX(country) AS country, CAST(1 AS BIGINT) AS n
FROM author_affiliations
WHERE $careers_from = 'affiliations'
  AND year BETWEEN $first_year AND $last_year
GROUP BY author, year, institution
