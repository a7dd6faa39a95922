-- country_years: the selection's AI output per country and year, the
-- activity metrics' counts: country_parts added up per country, year and
-- replicate (a work counts for each country of its authorships):
--   papers_full        works with an authorship in the country
--   papers_fractional  the country's fractional parts of the works
--                      (work_countries: authorship_shares' rule)
--   citations          the sum of the citations of the works counted in
--                      papers_full
--   highly_cited       those works that are highly cited (selection_ranks)
--   highly_cited_fractional  the fractional parts of the highly cited ones
--   replicate          0 for the data as observed (country_parts)
SELECT country, year,
       SUM(papers_full) AS papers_full,
       SUM(papers_fractional) AS papers_fractional,
       SUM(citations) AS citations,
       SUM(highly_cited) AS highly_cited,
       SUM(highly_cited_fractional) AS highly_cited_fractional,
       replicate
FROM country_parts
GROUP BY country, year, replicate
