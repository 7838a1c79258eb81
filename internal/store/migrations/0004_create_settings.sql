-- Site settings saved from the newsroom, one row per key. Keys that are
-- absent take the defaults from the command line.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
