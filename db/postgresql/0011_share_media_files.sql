-- The pictures' files themselves, so that every app instance on this database serves the same pictures. A name is
-- the file's content hash with its width and format (see MediaAddresses), so a row is written once and never
-- changes; each instance keeps the files it served in its own media/ folder as a cache, which can never be stale.
CREATE TABLE media_blobs (
    name    text PRIMARY KEY,      -- {hash}-{width}.{webp|jpg|png}, as served under /media/
    hash    text NOT NULL,         -- the picture's hash, the start of name: deleting a picture deletes its files by it
    content bytea NOT NULL
);

CREATE INDEX ix_media_blobs_hash ON media_blobs (hash);
