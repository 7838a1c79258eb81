-- Section listings and related stories read one section's articles, newest
-- first.
CREATE INDEX articles_section_published_at ON articles (section, published_at);
