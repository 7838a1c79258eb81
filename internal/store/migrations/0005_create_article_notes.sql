-- Corrections and updates: notes an editor adds to a published article,
-- shown at its foot and, for corrections, on /corrections.
CREATE TABLE article_notes (
    id         INTEGER  PRIMARY KEY,
    article_id INTEGER  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind       TEXT     NOT NULL CHECK (kind IN ('correction', 'update')),
    body       TEXT     NOT NULL,
    at         DATETIME NOT NULL,
    user_id    INTEGER  REFERENCES users (id) ON DELETE SET NULL,
    username   TEXT     NOT NULL DEFAULT ''
);

CREATE INDEX article_notes_article_at ON article_notes (article_id, at);
CREATE INDEX article_notes_kind_at ON article_notes (kind, at);
