-- Editing in the newsroom: a version for optimistic locking, the trash, per
-- article comment closing, every saved revision, and the slugs an article
-- had before, which keep answering with a redirect.
ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE articles ADD COLUMN trashed_at DATETIME;
ALTER TABLE articles ADD COLUMN comments_closed INTEGER NOT NULL DEFAULT 0;

CREATE TABLE article_revisions (
    id           INTEGER  PRIMARY KEY,
    article_id   INTEGER  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version      INTEGER  NOT NULL,
    saved_at     DATETIME NOT NULL,
    user_id      INTEGER  REFERENCES users (id) ON DELETE SET NULL,
    username     TEXT     NOT NULL DEFAULT '',
    note         TEXT     NOT NULL DEFAULT '',
    slug         TEXT     NOT NULL,
    headline     TEXT     NOT NULL,
    summary      TEXT     NOT NULL,
    body         TEXT     NOT NULL,
    author       TEXT     NOT NULL,
    section      TEXT     NOT NULL,
    tags         TEXT     NOT NULL, -- joined by char(31)
    language     TEXT     NOT NULL,
    status       TEXT     NOT NULL,
    published_at DATETIME NOT NULL,
    UNIQUE (article_id, version)
);

CREATE TABLE article_slugs (
    slug       TEXT    PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
