-- The change log: one row for every write that alters what a public page
-- shows, written in the same transaction as the write. Every process that
-- serves the database reads it to drop cached pages, so a change made by
-- another process (the command line, another instance) is seen too.
CREATE TABLE changes (
    id         INTEGER PRIMARY KEY,
    at         DATETIME NOT NULL,
    kind       TEXT     NOT NULL CHECK (kind IN ('article', 'comments', 'author', 'site')),
    article_id INTEGER  NOT NULL DEFAULT 0,
    names      TEXT     NOT NULL DEFAULT '' -- the sections, tags and authors concerned, as JSON
);
