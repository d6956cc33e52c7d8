-- 0010: the latest season of the series that has aired, as the series' status found it
-- (link.status.SeriesStatus.latest). latest_id is the last installment the catalogue lists,
-- which is the announced season itself when it is listed but not yet aired; the home and
-- season pages name the season that aired, and its end date. NULL: none aired, or a
-- database built before this migration (the pages then fall back to latest_id).
ALTER TABLE forecast_series ADD COLUMN aired_id INTEGER;
