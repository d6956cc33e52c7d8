-- 0007: live refreshes and what each source covers.
-- A refresh from Jikan or AniList is a snapshot of kind 'live' (file: the source, name like
-- 'jikan_2026-11-30T10:00Z', as_of the fetch date); its rows in anime_version, title,
-- relation, observation and anime_tag carry its snapshot_id, and live_record names the
-- request that answered each entry and when.
CREATE TABLE live_record (
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
    mal_id      INTEGER NOT NULL,
    source      TEXT NOT NULL,             -- jikan | anilist
    anilist_id  INTEGER,
    url         TEXT NOT NULL,             -- the request that answered it
    fetched_at  TEXT NOT NULL,             -- ISO timestamp of the response
    PRIMARY KEY (snapshot_id, mal_id)
) STRICT;

-- What each source covers and up to when: one row per topic a snapshot informs, written by
-- the build (for the raw sources) and by each refresh. The outlook's "what the data cannot
-- know" sentences and its age line are made from these rows.
-- topic: catalogue | typed_relations | figures | volumes | video_sales | manga_sales |
--        crosswalk | rules
-- scope: whole (the source's whole list as of up_to) | refresh (only the entries fetched)
CREATE TABLE coverage (
    topic       TEXT NOT NULL,
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
    source      TEXT NOT NULL,             -- who says it: 'MyAnimeList', 'AniList', ...
    up_to       TEXT NOT NULL,             -- ISO date the data was true
    entries     INTEGER NOT NULL,          -- how many entries it covers
    scope       TEXT NOT NULL,
    PRIMARY KEY (topic, snapshot_id)
) STRICT;
CREATE INDEX coverage_topic ON coverage(topic, up_to);

-- Databases built before this migration: their coverage, from what each snapshot stored
-- (a build rewrites these rows with store.coverage.write_build_coverage).
INSERT INTO coverage (topic, snapshot_id, source, up_to, entries, scope)
    SELECT 'catalogue', s.id, 'MyAnimeList', s.as_of, count(*), 'whole'
    FROM snapshot s JOIN anime_version v ON v.snapshot_id = s.id GROUP BY s.id, s.as_of;
INSERT INTO coverage (topic, snapshot_id, source, up_to, entries, scope)
    SELECT 'typed_relations', s.id, 'MyAnimeList', s.as_of, count(DISTINCT r.from_id), 'whole'
    FROM snapshot s JOIN relation r ON r.snapshot_id = s.id GROUP BY s.id, s.as_of;
INSERT INTO coverage (topic, snapshot_id, source, up_to, entries, scope)
    SELECT 'volumes', s.id, 'MyAnimeList', s.as_of, count(*), 'whole'
    FROM snapshot s JOIN source_work w ON w.snapshot_id = s.id
    WHERE w.volumes IS NOT NULL GROUP BY s.id, s.as_of;
INSERT INTO coverage (topic, snapshot_id, source, up_to, entries, scope)
    SELECT 'video_sales', s.id, 'Someanithing', s.as_of, count(*), 'whole'
    FROM snapshot s JOIN video_sales v ON v.snapshot_id = s.id GROUP BY s.id, s.as_of;
