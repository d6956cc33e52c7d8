-- 0003: articles and the claims extracted from them.
-- An article's id is a hash of its text, so ingesting the same text again changes nothing.
CREATE TABLE article (
    id               TEXT PRIMARY KEY,      -- first 16 hex digits of sha256(text)
    url              TEXT,
    title            TEXT,
    published        TEXT,                  -- ISO date, or NULL when unknown
    published_source TEXT NOT NULL,         -- given | metadata | text | unknown
    format           TEXT NOT NULL,         -- txt | md | html
    path             TEXT,                  -- the file it was read from
    text             TEXT NOT NULL,         -- plain text (never HTML)
    subject          TEXT,                  -- the show it is about, as named
    subject_mal_id   INTEGER
) STRICT;

CREATE TABLE claim (
    article_id     TEXT NOT NULL REFERENCES article(id),
    idx            INTEGER NOT NULL,        -- order within the article
    field          TEXT NOT NULL,           -- see nextseason.claims.model.FIELDS
    value          TEXT NOT NULL,           -- JSON: a string, number or date string
    qualifier      TEXT,
    subject        TEXT,
    subject_mal_id INTEGER,
    quote          TEXT NOT NULL,           -- equals article.text[start:end]
    start          INTEGER NOT NULL,
    end            INTEGER NOT NULL,
    as_of          TEXT,                    -- the article's date (when the claim was made)
    confidence     REAL NOT NULL,
    PRIMARY KEY (article_id, idx)
) STRICT;
CREATE INDEX claim_subject ON claim(subject_mal_id, field);
