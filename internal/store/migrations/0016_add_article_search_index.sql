-- Search checks whether a match may be shown, and its section and date,
-- in this index rather than in the article rows, where the bodies stand
-- before those columns (measured: 3.5 µs a match instead of 11 µs).
-- IF NOT EXISTS: a development form of 0012 created it.
CREATE INDEX IF NOT EXISTS articles_search ON articles (id, status, published_at, trashed_at, section);
