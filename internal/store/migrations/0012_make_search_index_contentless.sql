-- The search index keeps no copy of the text: a contentless FTS5 table
-- holds only the index (contentless_delete lets a save replace an
-- article's row), and snippets are cut in Go from the article itself.
-- Same columns and tokenizer as before.
DROP TABLE articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    headline,
    summary,
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Articles whose text the index lacks. The indexed text is normalised by
-- Go code (package search), which SQL cannot run, so the store indexes the
-- articles listed here when it opens the database, and takes them off the
-- list in the same transactions. This migration lists every article; on
-- any later start the list is empty and nothing reads all the articles.
CREATE TABLE unindexed_articles (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE
);
INSERT INTO unindexed_articles (article_id) SELECT id FROM articles;
