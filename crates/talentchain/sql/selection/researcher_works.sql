-- researcher_works: each researcher in scope (talent_scope) and each of
-- their distinct selected works, with its citations (`cites`, counted by
-- all of OpenAlex; the works are only those in the dataset). What
-- researcher_ranks and researcher_parts read.
SELECT DISTINCT a.author, s.work, s.cites
FROM authorships a
JOIN talent_scope t ON t.author = a.author
JOIN selection s ON s.work = a.work
