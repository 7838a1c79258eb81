-- The flood and duplicate checks become one index lookup each, whatever
-- the limits and however many comments a client has sent:
--
-- client_seq numbers each client address's comments 1, 2, 3...; a client
-- is over the limit of N a window when its Nth newest comment is inside
-- the window.
-- body_hash (of the text, never 0) finds the same text on the same
-- article; the text itself is then compared.
--
-- Comments from before this migration keep 0 in both and count for
-- neither check: for the minutes after the upgrade, a client's earlier
-- comments are not held against it.
ALTER TABLE comments ADD COLUMN client_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN body_hash INTEGER NOT NULL DEFAULT 0;
DROP INDEX comments_ip_created;
CREATE INDEX comments_ip_seq ON comments (ip, client_seq);
CREATE INDEX comments_article_body_hash ON comments (article_id, body_hash);
