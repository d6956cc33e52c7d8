-- 0005: where each article came from, beside its hash (id), title and date.
-- origin: the page's address when known, else the name of the file it was read from;
-- site: the address's host without "www." (NULL for a file without an address).
ALTER TABLE article ADD COLUMN origin TEXT;
ALTER TABLE article ADD COLUMN site TEXT;
UPDATE article SET origin = COALESCE(url, path) WHERE origin IS NULL;
