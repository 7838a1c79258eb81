-- Each article's number of approved opinions, kept by triggers: listings
-- and related stories show it for every story, and counting a long thread
-- each time cost more the longer it grew.
ALTER TABLE articles ADD COLUMN approved_comments INTEGER NOT NULL DEFAULT 0;

UPDATE articles SET approved_comments =
    (SELECT count(*) FROM comments c WHERE c.article_id = articles.id AND c.status = 'approved');

CREATE TRIGGER comments_approved_insert AFTER INSERT ON comments WHEN NEW.status = 'approved'
BEGIN
    UPDATE articles SET approved_comments = approved_comments + 1 WHERE id = NEW.article_id;
END;

CREATE TRIGGER comments_approved_delete AFTER DELETE ON comments WHEN OLD.status = 'approved'
BEGIN
    UPDATE articles SET approved_comments = approved_comments - 1 WHERE id = OLD.article_id;
END;

CREATE TRIGGER comments_approved_update AFTER UPDATE OF status, article_id ON comments
WHEN (OLD.status = 'approved') != (NEW.status = 'approved') OR OLD.article_id != NEW.article_id
BEGIN
    UPDATE articles SET approved_comments = approved_comments - 1 WHERE id = OLD.article_id AND OLD.status = 'approved';
    UPDATE articles SET approved_comments = approved_comments + 1 WHERE id = NEW.article_id AND NEW.status = 'approved';
END;
