-- Uploaded images, kept on disk by content hash, and each article's lead
-- image.
CREATE TABLE media (
    id          INTEGER  PRIMARY KEY,
    hash        TEXT     NOT NULL UNIQUE,
    format      TEXT     NOT NULL CHECK (format IN ('jpeg', 'png', 'webp', 'gif')),
    width       INTEGER  NOT NULL,
    height      INTEGER  NOT NULL,
    bytes       INTEGER  NOT NULL,
    alt         TEXT     NOT NULL,
    caption     TEXT     NOT NULL DEFAULT '',
    credit      TEXT     NOT NULL DEFAULT '',
    uploaded_at DATETIME NOT NULL,
    user_id     INTEGER  REFERENCES users (id) ON DELETE SET NULL,
    username    TEXT     NOT NULL DEFAULT ''
);

CREATE INDEX media_uploaded ON media (uploaded_at);

ALTER TABLE articles ADD COLUMN lead_image_id INTEGER REFERENCES media (id) ON DELETE SET NULL;
