-- The newsroom: users, their sessions, failed sign-ins for throttling, the
-- first-run setup token, and the audit log.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT     NOT NULL UNIQUE,
    name          TEXT     NOT NULL DEFAULT '',
    role          TEXT     NOT NULL CHECK (role IN ('admin', 'editor')),
    password_hash TEXT     NOT NULL,
    disabled      INTEGER  NOT NULL DEFAULT 0,
    created_at    DATETIME NOT NULL
);

-- Only the SHA-256 of a session id is stored.
CREATE TABLE sessions (
    id_hash      BLOB     PRIMARY KEY,
    user_id      INTEGER  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   DATETIME NOT NULL,
    last_seen_at DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);

-- One row per failed sign-in and key ("ip:…" or "user:…"), so throttling
-- survives a restart.
CREATE TABLE login_failures (
    key       TEXT     NOT NULL,
    failed_at DATETIME NOT NULL
);

CREATE INDEX login_failures_key_failed ON login_failures (key, failed_at);

CREATE TABLE setup_tokens (
    token_hash BLOB     PRIMARY KEY,
    created_at DATETIME NOT NULL
);

CREATE TABLE audit_log (
    id       INTEGER  PRIMARY KEY,
    at       DATETIME NOT NULL,
    user_id  INTEGER  REFERENCES users (id) ON DELETE SET NULL,
    username TEXT     NOT NULL DEFAULT '',
    action   TEXT     NOT NULL,
    target   TEXT     NOT NULL DEFAULT '',
    detail   TEXT     NOT NULL DEFAULT '',
    ip       TEXT     NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_at ON audit_log (at);
