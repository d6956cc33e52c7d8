-- 0009: a series' status asks, for every series, which crosswalk snapshot holds TVDB seasons;
-- without this index each question read the whole tvdb_season table.
CREATE INDEX IF NOT EXISTS tvdb_season_snapshot ON tvdb_season(snapshot_id);
