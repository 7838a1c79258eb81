-- Articles, their tags, and readers' comments. Instants are DATETIME in UTC.
CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    slug         TEXT     NOT NULL UNIQUE,
    headline     TEXT     NOT NULL,
    summary      TEXT     NOT NULL DEFAULT '',
    body         TEXT     NOT NULL DEFAULT '',
    body_html    TEXT     NOT NULL DEFAULT '',
    author       TEXT     NOT NULL DEFAULT '',
    section      TEXT     NOT NULL DEFAULT '',
    language     TEXT     NOT NULL DEFAULT 'en',
    status       TEXT     NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    published_at DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL
);

-- Every reader query filters on status and a range of published_at.
CREATE INDEX articles_status_published_at ON articles (status, published_at);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag        TEXT    NOT NULL,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag)
);

CREATE INDEX article_tags_tag ON article_tags (tag);

CREATE TABLE comments (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    name       TEXT     NOT NULL,
    email      TEXT     NOT NULL DEFAULT '',
    body       TEXT     NOT NULL,
    status     TEXT     NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'spam')),
    created_at DATETIME NOT NULL,
    ip         TEXT     NOT NULL DEFAULT '',
    user_agent TEXT     NOT NULL DEFAULT ''
);

-- The article page reads one article's approved comments in order; counts
-- on listings use the same index.
CREATE INDEX comments_article_status_created ON comments (article_id, status, created_at);
-- Moderation lists comments by status, newest first.
CREATE INDEX comments_status_created ON comments (status, created_at);
