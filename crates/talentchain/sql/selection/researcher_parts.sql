-- researcher_parts: each work's part in researcher_ranks' works and
-- citations, the rows they add up (the resampling unit of talent top's
-- intervals: the works): one row per researcher and work of
-- researcher_works, works 1, citations the work's, replicate 0 (country_parts
-- says more).
SELECT author, work, CAST(1 AS BIGINT) AS works, CAST(cites AS BIGINT) AS citations,
       CAST(0 AS INT) AS replicate
FROM researcher_works
