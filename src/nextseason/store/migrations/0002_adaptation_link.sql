-- 0002: adaptation links for every anime, including the 2025 entries that have no relations.
-- method: relation (a snapshot stated it) | franchise (a franchise member's link) |
--         title (the show's base title equals the work's title, source types agree)
CREATE TABLE adaptation_link (
    mal_id   INTEGER NOT NULL REFERENCES anime(mal_id),
    manga_id INTEGER NOT NULL,
    method   TEXT NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY (mal_id, manga_id)
) STRICT;
CREATE INDEX adaptation_link_manga ON adaptation_link(manga_id);
