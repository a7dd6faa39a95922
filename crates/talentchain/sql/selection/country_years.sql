-- country_years: the selection's AI output per country and year, the
-- activity metrics' counts (a work counts for each country of its
-- authorships):
--   papers_full        works with an authorship in the country
--   papers_fractional  the country's fractional parts of the works
--                      (work_countries: authorship_shares' rule)
--   citations          the sum of the citations of the works counted in
--                      papers_full
--   highly_cited       those works that are highly cited (selection_ranks)
--   highly_cited_fractional  the fractional parts of the highly cited ones
SELECT wc.country, h.year,
       COUNT(*) AS papers_full,
       SUM(wc.fractional) AS papers_fractional,
       SUM(h.cites) AS citations,
       SUM(CASE WHEN h.highly_cited THEN 1 ELSE 0 END) AS highly_cited,
       SUM(CASE WHEN h.highly_cited THEN wc.fractional ELSE 0 END) AS highly_cited_fractional
FROM work_countries wc
JOIN selection_hc h ON h.work = wc.work
GROUP BY wc.country, h.year
