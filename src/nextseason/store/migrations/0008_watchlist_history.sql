-- 0008: the user's watchlist, and a history of each series' state.
-- The watchlist is the user's own data: a rebuild carries it (store/carry.py).
CREATE TABLE watchlist (
    mal_id   INTEGER PRIMARY KEY,          -- the entry the user named
    title    TEXT NOT NULL,                -- its title when added
    added_on TEXT NOT NULL                 -- ISO date
) STRICT;

-- A series' state each time a build or a refresh looked at it, written only when it differs
-- from the series' previous row, so consecutive rows of a series are its changes. Rows name
-- their snapshot by name and date (not by id), so a rebuild carries them unchanged.
CREATE TABLE series_history (
    id          INTEGER PRIMARY KEY,
    series_id   INTEGER NOT NULL,          -- the series' first TV/ONA installment
    recorded_on TEXT NOT NULL,             -- ISO date of the data (the snapshot's as_of)
    snapshot    TEXT NOT NULL,             -- the snapshot that was newest: 'jikan_2025', ...
    source      TEXT NOT NULL,             -- how to name it: 'MyAnimeList catalogue', ...
    status      TEXT NOT NULL,             -- announced | airing | not announced | concluded
    seasons     INTEGER NOT NULL,          -- TV/ONA installments known
    latest_id   INTEGER,                   -- the latest aired installment
    next_id     INTEGER,                   -- the announced continuation, when listed
    next_title  TEXT,
    next_date   TEXT,                      -- its listed premiere (ISO, may be partial)
    evidence    TEXT NOT NULL,             -- what decided the status, in words
    p_1y        REAL,                      -- the stored forecast (NULL: none)
    p_2y        REAL,
    p_3y        REAL,
    p_5y        REAL,
    forecast_as_of TEXT
) STRICT;
CREATE INDEX series_history_series ON series_history(series_id, id);
CREATE INDEX series_history_date ON series_history(recorded_on);
