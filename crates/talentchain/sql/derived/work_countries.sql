-- work_countries: one row per work and country of its authorships, with the
-- country's fractional share of the work (authorship_shares' rule: the parts
-- of a work with any country sum to 1).
SELECT work, unit AS country, SUM(work_share) AS fractional
FROM authorship_shares
WHERE kind = 'country'
GROUP BY work, unit
