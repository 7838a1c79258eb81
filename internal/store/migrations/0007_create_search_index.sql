-- Full-text search over articles. The index holds normalised text (package
-- search) written by the store in the same transaction as every article
-- write, with the article id as rowid; Open fills it for articles saved
-- before it existed. Diacritics are folded by the tokenizer as well.
CREATE VIRTUAL TABLE articles_fts USING fts5(
    headline,
    summary,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
