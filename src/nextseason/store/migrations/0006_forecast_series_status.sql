-- 0006: the series' renewal status as the build saw it (link.status.series_status at the
-- forecast date), and the next entry when one is announced, as columns: readers (the web's
-- home and season views) no longer parse the human-readable reason.
-- status: announced | airing | not announced | concluded;
-- next_*: the announced continuation (its MAL id when the catalogue lists it, its title,
-- its format, its premiere as listed: YYYY, YYYY-MM or YYYY-MM-DD), NULL when none.
ALTER TABLE forecast_series ADD COLUMN status TEXT NOT NULL DEFAULT 'not announced';
ALTER TABLE forecast_series ADD COLUMN next_mal_id INTEGER;
ALTER TABLE forecast_series ADD COLUMN next_title TEXT;
ALTER TABLE forecast_series ADD COLUMN next_type TEXT;
ALTER TABLE forecast_series ADD COLUMN next_date TEXT;
-- a series' status reads its franchise's entries; the build asks for every series
CREATE INDEX IF NOT EXISTS anime_franchise ON anime(franchise_id);
-- a database built before this migration: the status its build wrote in words, until the
-- next build writes the columns (the next entry stays unknown until then)
UPDATE forecast_series SET status = 'announced' WHERE reason LIKE 'announced: %';
UPDATE forecast_series SET status = 'airing'
 WHERE reason = 'still airing' OR reason LIKE 'airing: %';
