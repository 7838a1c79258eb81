-- Where an import read each article (its file, relative to the imported
-- folder), so that importing the file again finds its article even when
-- the file gives it a new slug; the old slug then keeps answering with a
-- redirect, as it does after a rename in the newsroom.
CREATE TABLE article_sources (
	source TEXT PRIMARY KEY,
	article_id INTEGER NOT NULL UNIQUE REFERENCES articles (id) ON DELETE CASCADE
) WITHOUT ROWID;
