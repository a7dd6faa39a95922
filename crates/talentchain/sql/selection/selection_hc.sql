-- selection_hc: the selection with each work's rank among the year's works
-- by citations and its highly-cited flag (selection_ranks).
SELECT s.work, s.year, s.cites, r.cite_rank, r.n_year, r.highly_cited
FROM selection s
JOIN selection_ranks r ON r.year = s.year AND r.cites = s.cites
