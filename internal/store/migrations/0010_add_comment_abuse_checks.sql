-- Flood and duplicate checks count a client's recent comments, and an
-- article's recent ones, from the comments themselves. Secrets are keys the
-- site makes for itself, such as the one that signs form timestamps.
CREATE INDEX comments_ip_created ON comments (ip, created_at);

CREATE TABLE secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
