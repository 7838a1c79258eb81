-- Counts that listings show, kept in step with the articles by triggers so
-- that no page counts over the whole archive. An article is counted while
-- it is published and not in the trash; a scheduled one is counted too,
-- and readers' queries take the few scheduled ones off again.
--
-- local_day is the article's publication date in the site's zone
-- ('YYYY-MM-DD'), written by the store, which knows the zone (and rewrites
-- every row when the zone changes). Keys of article_counts:
--   Y2024, M2024-06, D2024-06-20   years, months and days
--   S<section>, A<author>, T<tag>  sections, authors and tags
ALTER TABLE articles ADD COLUMN local_day TEXT NOT NULL DEFAULT '';

CREATE TABLE article_counts (
    key TEXT    PRIMARY KEY,
    n   INTEGER NOT NULL
) WITHOUT ROWID;

-- Zone of local_day, and other facts the store keeps about itself.
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Tag listings read one tag's articles newest first: the tag rows carry
-- the publication time so that the index gives that order.
ALTER TABLE article_tags ADD COLUMN published_at DATETIME NOT NULL DEFAULT '';
UPDATE article_tags SET published_at = (SELECT a.published_at FROM articles a WHERE a.id = article_tags.article_id);
CREATE INDEX article_tags_tag_published_at ON article_tags (tag, published_at, article_id);
DROP INDEX article_tags_tag;

-- Author listings, newest first.
CREATE INDEX articles_author_published_at ON articles (author, published_at);

CREATE TRIGGER articles_counted_insert AFTER INSERT ON articles
WHEN NEW.status = 'published' AND NEW.trashed_at IS NULL
BEGIN
    INSERT INTO article_counts (key, n)
        SELECT k, 1 FROM (SELECT 'Y' || substr(NEW.local_day, 1, 4) AS k UNION ALL SELECT 'M' || substr(NEW.local_day, 1, 7)
            UNION ALL SELECT 'D' || NEW.local_day UNION ALL SELECT 'S' || NEW.section WHERE NEW.section != ''
            UNION ALL SELECT 'A' || NEW.author WHERE NEW.author != '')
        WHERE true ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER articles_counted_update AFTER UPDATE OF status, trashed_at, local_day, section, author ON articles
BEGIN
    UPDATE article_counts SET n = n - 1
        WHERE OLD.status = 'published' AND OLD.trashed_at IS NULL
          AND key IN ('Y' || substr(OLD.local_day, 1, 4), 'M' || substr(OLD.local_day, 1, 7), 'D' || OLD.local_day,
                      CASE WHEN OLD.section != '' THEN 'S' || OLD.section END, CASE WHEN OLD.author != '' THEN 'A' || OLD.author END);
    INSERT INTO article_counts (key, n)
        SELECT k, 1 FROM (SELECT 'Y' || substr(NEW.local_day, 1, 4) AS k UNION ALL SELECT 'M' || substr(NEW.local_day, 1, 7)
            UNION ALL SELECT 'D' || NEW.local_day UNION ALL SELECT 'S' || NEW.section WHERE NEW.section != ''
            UNION ALL SELECT 'A' || NEW.author WHERE NEW.author != '')
        WHERE NEW.status = 'published' AND NEW.trashed_at IS NULL ON CONFLICT (key) DO UPDATE SET n = n + 1;
    -- Tags follow the article's counted state.
    UPDATE article_counts SET n = n - 1
        WHERE OLD.status = 'published' AND OLD.trashed_at IS NULL AND NOT (NEW.status = 'published' AND NEW.trashed_at IS NULL)
          AND key IN (SELECT 'T' || t.tag FROM article_tags t WHERE t.article_id = NEW.id);
    INSERT INTO article_counts (key, n)
        SELECT 'T' || t.tag, 1 FROM article_tags t WHERE t.article_id = NEW.id
          AND NEW.status = 'published' AND NEW.trashed_at IS NULL AND NOT (OLD.status = 'published' AND OLD.trashed_at IS NULL)
        ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER articles_published_at_update AFTER UPDATE OF published_at ON articles
BEGIN
    UPDATE article_tags SET published_at = NEW.published_at WHERE article_id = NEW.id;
END;

CREATE TRIGGER articles_counted_delete BEFORE DELETE ON articles
WHEN OLD.status = 'published' AND OLD.trashed_at IS NULL
BEGIN
    UPDATE article_counts SET n = n - 1
        WHERE key IN ('Y' || substr(OLD.local_day, 1, 4), 'M' || substr(OLD.local_day, 1, 7), 'D' || OLD.local_day,
                      CASE WHEN OLD.section != '' THEN 'S' || OLD.section END, CASE WHEN OLD.author != '' THEN 'A' || OLD.author END)
           OR key IN (SELECT 'T' || t.tag FROM article_tags t WHERE t.article_id = OLD.id);
END;

CREATE TRIGGER article_tags_counted_insert AFTER INSERT ON article_tags
WHEN (SELECT a.status = 'published' AND a.trashed_at IS NULL FROM articles a WHERE a.id = NEW.article_id)
BEGIN
    INSERT INTO article_counts (key, n) VALUES ('T' || NEW.tag, 1) ON CONFLICT (key) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER article_tags_counted_delete AFTER DELETE ON article_tags
WHEN (SELECT a.status = 'published' AND a.trashed_at IS NULL FROM articles a WHERE a.id = OLD.article_id)
BEGIN
    UPDATE article_counts SET n = n - 1 WHERE key = 'T' || OLD.tag;
END;

-- Existing articles: counted from scratch (local_day is filled, and the
-- date counts made, when the store first learns the site's zone).
INSERT INTO article_counts (key, n)
    SELECT 'S' || section, count(*) FROM articles WHERE status = 'published' AND trashed_at IS NULL AND section != '' GROUP BY section;
INSERT INTO article_counts (key, n)
    SELECT 'A' || author, count(*) FROM articles WHERE status = 'published' AND trashed_at IS NULL AND author != '' GROUP BY author;
INSERT INTO article_counts (key, n)
    SELECT 'T' || t.tag, count(*) FROM article_tags t JOIN articles a ON a.id = t.article_id
    WHERE a.status = 'published' AND a.trashed_at IS NULL GROUP BY t.tag;
