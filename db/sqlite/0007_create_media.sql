-- Pictures authors upload. What was uploaded is never kept or served: each picture is stored as re-encoded files
-- in the data folder's media/ directory, named from the content hash of the upload (see MediaAddresses), so a
-- name never changes meaning and can be cached for a year.
CREATE TABLE media (
    id            INTEGER PRIMARY KEY,
    hash          TEXT NOT NULL UNIQUE,     -- 20 lowercase hex digits of the SHA-256 of the uploaded bytes
    file_name     TEXT NOT NULL,            -- the name it was uploaded with, shown in the library only
    alt_text      TEXT NOT NULL DEFAULT '',
    decorative    INTEGER NOT NULL DEFAULT 0 CHECK (decorative IN (0, 1)), -- 1: no alt text, on purpose
    width         INTEGER NOT NULL,         -- of the largest stored file, upright (EXIF orientation applied)
    height        INTEGER NOT NULL,
    source_format TEXT NOT NULL CHECK (source_format IN ('jpeg', 'png', 'gif', 'webp')),
    has_alpha     INTEGER NOT NULL DEFAULT 0 CHECK (has_alpha IN (0, 1)), -- 1: the fallback files are PNG, else JPEG
    animated      INTEGER NOT NULL DEFAULT 0 CHECK (animated IN (0, 1)),  -- 1: the upload had frames after the first
    uploaded_by   TEXT REFERENCES members (id) ON DELETE SET NULL,
    uploaded_at   TEXT NOT NULL
);

-- The library lists pictures newest first, a page at a time from a (uploaded_at, id) position.
CREATE INDEX ix_media_uploaded_at ON media (uploaded_at DESC, id DESC);

-- Every file stored for a picture: each width in WebP and in the fallback format.
CREATE TABLE media_files (
    media_id  INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    format    TEXT NOT NULL CHECK (format IN ('webp', 'jpeg', 'png')),
    width     INTEGER NOT NULL,
    height    INTEGER NOT NULL,
    byte_size INTEGER NOT NULL,
    PRIMARY KEY (media_id, format, width)
) WITHOUT ROWID;

-- Which posts show which pictures (in the body or as the cover), written with the post in one transaction, so
-- "where is it used" and "may it be deleted" are one indexed read.
CREATE TABLE post_media (
    post_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    media_id INTEGER NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, media_id)
) WITHOUT ROWID;

CREATE INDEX ix_post_media_media_id ON post_media (media_id, post_id);

-- A post's cover picture: shown large on the post page, small in lists, and as its og:image.
ALTER TABLE posts ADD COLUMN cover_media_id INTEGER REFERENCES media (id) ON DELETE SET NULL;
