-- career_countries: each author-year's main country, by career source (the
-- main-country rule, defined once for every career): the country with the
-- highest tally (career_tallies), ties to the alphabetically smallest code;
-- `n` is its tally. A year without any country has no row.
SELECT source, author, year, country, n
FROM (SELECT source, author, year, country, n,
             ROW_NUMBER() OVER (PARTITION BY source, author, year ORDER BY n DESC, country ASC) AS rn
      FROM career_tallies) t
WHERE rn = 1
