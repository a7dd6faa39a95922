-- talent_stays: who stays (the follow-up question of MacroPolo's NeurIPS
-- sample: of the China-origin researchers working in the US, how many are
-- still there): per origin and host country (a country other than the
-- origin that was the main country of one of the researcher's observed
-- years), talent_stay_parts added up:
--   arrived     researchers of that origin observed working in the host
--   followed    of them, those observed in a later year than their first
--               one in the host
--   stayed, returned, moved_on   of the followed, those whose current
--               (last observed) country is the host, the origin, another
--   stay_rate = stayed / followed, return_rate = returned / followed
--               (null without followed researchers)
-- Each row carries its replicate (countries.sql says more). Sorted by
-- followed descending, then arrived descending, origin and host.
SELECT origin, host,
       SUM(arrived) AS arrived, SUM(followed) AS followed,
       SUM(stayed) AS stayed, SUM(returned) AS returned, SUM(moved_on) AS moved_on,
       CAST(SUM(stayed) AS DOUBLE) / NULLIF(SUM(followed), 0) AS stay_rate,
       CAST(SUM(returned) AS DOUBLE) / NULLIF(SUM(followed), 0) AS return_rate,
       replicate
FROM talent_stay_parts
GROUP BY origin, host, replicate
ORDER BY followed DESC, arrived DESC, origin, host
