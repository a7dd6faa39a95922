-- conversion_slots: the countries of the authorships of the researchers
-- whose origin is `origin` (talent_authors) on selected works, one row per
-- researcher, work and country, with
--   authorship_share  the slot's part of its authorship: 1 / the
--                     authorship's countries (`authorships.n_countries`:
--                     authorship_shares' authorship_share, which a test
--                     checks equal)
--   highly_cited      1 when the work is highly cited (selection_hc), else 0
-- What talent_conversion's parts read (conversion_author_parts,
-- conversion_work_parts).
WITH researcher_slots AS (
    SELECT DISTINCT a.author, a.work, a.position
    FROM authorships a
    JOIN talent_authors r ON r.author = a.author AND r.origin = $origin
    JOIN selection s ON s.work = a.work
)
SELECT t.author, t.work, c.country,
       SUM(1.0 / CAST(a.n_countries AS DOUBLE)) AS authorship_share,
       MAX(CASE WHEN h.highly_cited THEN 1 ELSE 0 END) AS highly_cited
FROM researcher_slots t
JOIN authorships a ON a.work = t.work AND a.position = t.position
JOIN authorship_countries c ON c.work = t.work AND c.position = t.position
JOIN selection_hc h ON h.work = t.work
GROUP BY t.author, t.work, c.country
