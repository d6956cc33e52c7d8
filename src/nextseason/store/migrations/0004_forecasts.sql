-- 0004: forecasts made by the build, as of the newest catalogue snapshot, so that reports
-- and the web app read them without fitting a model.
CREATE TABLE forecast (
    mal_id      INTEGER PRIMARY KEY,        -- the series' latest season
    as_of       TEXT NOT NULL,
    model       TEXT NOT NULL,
    ended       TEXT NOT NULL,
    elapsed     REAL NOT NULL,              -- years from the end to as_of
    p_1y        REAL NOT NULL,
    p_2y        REAL NOT NULL,
    p_3y        REAL NOT NULL,
    p_5y        REAL NOT NULL,
    p_ever      REAL NOT NULL,
    curve       TEXT NOT NULL,              -- JSON [[years since the end, P(premiered by then)]]
    factors     TEXT NOT NULL,              -- JSON list of {name, effect, detail}
    comparables TEXT NOT NULL,              -- JSON list of {mal_id, title, ended, outcome, ...}
    features    TEXT NOT NULL               -- JSON {feature: value} as used by the model
) STRICT;

-- Every TV/ONA installment → its series' latest season, and why a series has no forecast.
CREATE TABLE forecast_series (
    mal_id    INTEGER PRIMARY KEY,
    latest_id INTEGER NOT NULL,
    reason    TEXT NOT NULL                 -- '' when the latest season has a forecast
) STRICT;
