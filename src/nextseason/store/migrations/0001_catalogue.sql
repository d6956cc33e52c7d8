-- 0001: the dated catalogue.
-- Every table is STRICT. Values that change over time live in `observation`, each with the
-- date it was true (`observed_at`) and the snapshot that stated it.

CREATE TABLE snapshot (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,      -- e.g. 'mal_2018', 'jikan_2021'
    kind         TEXT NOT NULL,             -- catalogue | source_works | sales | crosswalk | rules
    as_of        TEXT NOT NULL,             -- ISO date the data was true
    file         TEXT NOT NULL,             -- path relative to the data directory
    content_hash TEXT NOT NULL,             -- sha256 of the raw file(s)
    row_count    INTEGER NOT NULL,          -- records read
    stored_count INTEGER NOT NULL,          -- records stored (after dedup / skips)
    skipped      TEXT NOT NULL DEFAULT '{}' -- JSON: reason -> count
) STRICT;

-- One row per MAL anime id, holding the values of the newest snapshot that lists it.
-- Per-snapshot values are kept in anime_version.
CREATE TABLE anime (
    mal_id          INTEGER PRIMARY KEY,
    title           TEXT NOT NULL,
    type            TEXT,                   -- TV, ONA, OVA, Movie, Special, TV Special, Music, CM, PV
    source_type     TEXT,                   -- Manga, Light novel, Original, ...
    episodes        INTEGER,
    start_date      TEXT,                   -- ISO, truncated to its precision
    start_precision TEXT,                   -- day | month | year
    end_date        TEXT,
    end_precision   TEXT,
    status          TEXT,                   -- finished | airing | not_yet_aired
    rating          TEXT,
    season          TEXT,                   -- winter | spring | summer | fall
    season_year     INTEGER,
    first_snapshot  INTEGER NOT NULL REFERENCES snapshot(id),
    last_snapshot   INTEGER NOT NULL REFERENCES snapshot(id),
    franchise_id    INTEGER
) STRICT;

CREATE TABLE anime_version (
    mal_id          INTEGER NOT NULL REFERENCES anime(mal_id),
    snapshot_id     INTEGER NOT NULL REFERENCES snapshot(id),
    title           TEXT NOT NULL,
    type            TEXT,
    source_type     TEXT,
    episodes        INTEGER,
    start_date      TEXT,
    start_precision TEXT,
    end_date        TEXT,
    end_precision   TEXT,
    status          TEXT,
    rating          TEXT,
    season          TEXT,
    season_year     INTEGER,
    PRIMARY KEY (mal_id, snapshot_id)
) STRICT;

-- Every title a show is known by. kind: main | english | japanese | synonym | fan
CREATE TABLE title (
    mal_id      INTEGER NOT NULL REFERENCES anime(mal_id),
    title       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    lang        TEXT NOT NULL,              -- ja-Latn | en | ja | und
    norm        TEXT NOT NULL,              -- search key, see nextseason.search.normalize
    snapshot_id INTEGER REFERENCES snapshot(id),  -- NULL for the project's own fan aliases
    PRIMARY KEY (mal_id, kind, title)
) STRICT;
CREATE INDEX title_norm ON title(norm);

-- Typed relations as a snapshot stated them. to_type: anime | manga
CREATE TABLE relation (
    from_id     INTEGER NOT NULL,
    to_id       INTEGER NOT NULL,
    to_type     TEXT NOT NULL,
    kind        TEXT NOT NULL,              -- Sequel, Prequel, Side story, Adaptation, ...
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
    PRIMARY KEY (from_id, to_type, to_id, kind, snapshot_id)
) STRICT;
CREATE INDEX relation_to ON relation(to_type, to_id);

-- Dated facts. entity_type: anime | manga. value holds numbers as numbers, text as text.
CREATE TABLE observation (
    entity_type TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    metric      TEXT NOT NULL,              -- members, score, scored_by, rank, popularity, favorites, status, ...
    value       ANY,
    observed_at TEXT NOT NULL,
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
    PRIMARY KEY (entity_type, entity_id, metric, snapshot_id)
) STRICT;
CREATE INDEX observation_time ON observation(entity_type, entity_id, metric, observed_at);

-- Studios, producers, licensors, genres, themes, demographics.
CREATE TABLE tag (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                     -- studio | producer | licensor | genre | theme | demographic
    name TEXT NOT NULL,
    UNIQUE (kind, name)
) STRICT;

CREATE TABLE anime_tag (
    mal_id      INTEGER NOT NULL REFERENCES anime(mal_id),
    tag_id      INTEGER NOT NULL REFERENCES tag(id),
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
    PRIMARY KEY (mal_id, tag_id, snapshot_id)
) STRICT;

-- Source works: manga, light novels, ... (MAL manga ids).
CREATE TABLE source_work (
    manga_id    INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    type        TEXT,                       -- Manga, Light Novel, Novel, One-shot, Manhwa, ...
    volumes     INTEGER,                    -- NULL = ongoing or unknown
    start_year  INTEGER,
    end_year    INTEGER,
    status      TEXT,                       -- finished | ongoing
    as_of       TEXT NOT NULL,
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id)
) STRICT;

-- Best-selling manga list (no MAL ids; linked by title where it matches a source work).
CREATE TABLE manga_sales (
    title               TEXT PRIMARY KEY,
    manga_id            INTEGER,
    authors             TEXT,
    publisher           TEXT,
    demographic         TEXT,
    volumes             INTEGER,
    start_year          INTEGER,
    end_year            INTEGER,
    sales_millions      REAL,
    per_volume_millions REAL,
    as_of               TEXT NOT NULL,
    snapshot_id         INTEGER NOT NULL REFERENCES snapshot(id)
) STRICT;

-- Japanese home-video sales (first release, per volume, thousands of units).
CREATE TABLE video_sales (
    title             TEXT NOT NULL,
    year              INTEGER NOT NULL,
    season            TEXT NOT NULL,        -- winter | spring | summer | fall
    mal_id            INTEGER,              -- NULL when the source did not link it to MAL
    avg_sales_k       REAL,                 -- average first-release sales per volume, thousands
    avg_sales_suspect INTEGER NOT NULL,     -- 1 when the value looks like a parse error (~990)
    re_release_k      REAL,
    total_k           REAL,
    gross_first_myen  REAL,                 -- millions of yen; NULL when the source truncated it
    gross_broken      INTEGER NOT NULL,     -- 1 when the source's value is known to be broken
    studio            TEXT,
    source            TEXT,
    as_of             TEXT NOT NULL,
    snapshot_id       INTEGER NOT NULL REFERENCES snapshot(id),
    PRIMARY KEY (title, year, season)      -- two shows may share a title and year
) STRICT;

-- ID crosswalk (one row per MAL id).
CREATE TABLE crosswalk (
    mal_id       INTEGER PRIMARY KEY,
    anilist_id   INTEGER,
    anidb_id     INTEGER,
    kitsu_id     INTEGER,
    tvdb_id      INTEGER,
    tmdb_id      INTEGER,
    imdb_id      TEXT,
    livechart_id INTEGER,
    type         TEXT,
    snapshot_id  INTEGER NOT NULL REFERENCES snapshot(id)
) STRICT;
CREATE INDEX crosswalk_anidb ON crosswalk(anidb_id);

-- TVDB / TMDB season numbers per AniDB entry.
CREATE TABLE tvdb_season (
    anidb_id       INTEGER PRIMARY KEY,
    tvdb_id        INTEGER,
    tvdb_season    INTEGER,
    tmdb_tv_id     INTEGER,
    tmdb_season    INTEGER,
    episode_offset INTEGER,
    snapshot_id    INTEGER NOT NULL REFERENCES snapshot(id)
) STRICT;
CREATE INDEX tvdb_season_series ON tvdb_season(tvdb_id, tvdb_season);

-- Explicit prequel -> sequel episode rules.
CREATE TABLE sequel_rule (
    from_mal_id INTEGER NOT NULL,
    from_eps    TEXT NOT NULL,
    to_mal_id   INTEGER NOT NULL,
    to_eps      TEXT NOT NULL,
    line        INTEGER NOT NULL,
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
    PRIMARY KEY (from_mal_id, from_eps, to_mal_id, to_eps)
) STRICT;

-- Sequel edges the linker derived (for every entry, including the 2025 ones that have no
-- relations of their own). method: relation | rule | tvdb | title; evidence: human-readable.
CREATE TABLE sequel_link (
    prequel_id  INTEGER NOT NULL,
    sequel_id   INTEGER NOT NULL,
    method      TEXT NOT NULL,
    evidence    TEXT NOT NULL,
    PRIMARY KEY (prequel_id, sequel_id)
) STRICT;

-- Franchises: connected groups over relation and sequel_link edges between anime.
CREATE TABLE franchise (
    id       INTEGER PRIMARY KEY,          -- the smallest MAL id in the group
    name     TEXT NOT NULL,                -- main title of its earliest TV/ONA (else earliest) entry
    size     INTEGER NOT NULL
) STRICT;

-- Adaptation links anime -> source work, as stated by a snapshot.
CREATE VIEW adaptation AS
    SELECT from_id AS mal_id, to_id AS manga_id, snapshot_id
    FROM relation WHERE kind = 'Adaptation' AND to_type = 'manga';

-- What search reads: every alias with the show's newest member count.
-- (PostgreSQL's observation.value is JSONB: its members count is read as a number there.)
-- only: sqlite
CREATE VIEW search_alias AS
    SELECT t.mal_id, t.title, t.kind, t.norm,
           COALESCE((SELECT o.value FROM observation o
                     WHERE o.entity_type = 'anime' AND o.entity_id = t.mal_id
                       AND o.metric = 'members'
                     ORDER BY o.observed_at DESC LIMIT 1), 0) AS members
    FROM title t;
-- only: postgresql
CREATE VIEW search_alias AS
    SELECT t.mal_id, t.title, t.kind, t.norm,
           COALESCE((SELECT CAST(o.value AS NUMERIC) FROM observation o
                     WHERE o.entity_type = 'anime' AND o.entity_id = t.mal_id
                       AND o.metric = 'members'
                     ORDER BY o.observed_at DESC LIMIT 1), 0) AS members
    FROM title t;
