-- Short biographies of authors, by the name their articles carry.
CREATE TABLE authors (
    name TEXT PRIMARY KEY,
    bio  TEXT NOT NULL DEFAULT ''
);
