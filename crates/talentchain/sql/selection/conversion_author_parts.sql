-- conversion_author_parts: each researcher's part in talent_conversion's
-- `researchers` (the resampling unit of that column; the works are
-- resampled on their own: conversion_work_parts): one row per researcher
-- of origin `origin` and each country of their authorships on selected
-- works (conversion_slots), researchers 1, replicate 0 (country_parts says
-- more).
SELECT DISTINCT author, country, CAST(1 AS BIGINT) AS researchers, CAST(0 AS INT) AS replicate
FROM conversion_slots
