-- career_countries: each author-year's main country, by career source (the
-- main-country rule, defined once for every career): the country with the
-- highest tally (career_tallies), ties to the alphabetically smallest code;
-- `n` is its tally. A year without any country has no row.
--
-- One window per source rather than PARTITION BY source: a query keeps one
-- source with a filter, and Apache Ballista loses the ordering of a
-- partition column that a filter fixes ("Expects PARTITION BY expression to
-- be ordered") once the plan is shipped to its executors.
SELECT source, author, year, country, n
FROM (SELECT source, author, year, country, n,
             ROW_NUMBER() OVER (PARTITION BY author, year ORDER BY n DESC, country ASC) AS rn
      FROM career_tallies
      WHERE source = 'authorships'
      UNION ALL
      SELECT source, author, year, country, n,
             ROW_NUMBER() OVER (PARTITION BY author, year ORDER BY n DESC, country ASC) AS rn
      FROM career_tallies
      WHERE source = 'affiliations') t
WHERE rn = 1
