-- Moving a blog in: what an import needs to keep from the old blog.
--
-- * posts.body_format: an imported post keeps the HTML it was written in (sanitized like any body); converting it to
--   Markdown would change what readers see. The editor edits such a post as HTML.
-- * comments.guest_*: commenters from an export have no account here. Their comments keep the name, link and email
--   address the export gave; the email is never shown, only compared when a member with that confirmed address claims
--   the comments (author_id is then set).
-- * imported_items: which thing of which exported blog became which row here, so importing the same file twice
--   changes nothing the second time.
-- * legacy_addresses: every address the old blog answered at, and where it lives now (a post, or a local path for
--   labels, archives and feeds); readers following an old link get a 301.
-- * import_runs: an import started from the owner's page runs in the background; its progress and report are rows, so
--   any page (and later any instance) can show them.

ALTER TABLE posts ADD COLUMN body_format TEXT NOT NULL DEFAULT 'markdown' CHECK (body_format IN ('markdown', 'html'));

ALTER TABLE comments ADD COLUMN guest_name TEXT;
ALTER TABLE comments ADD COLUMN guest_url TEXT;
-- Normalized like members.normalized_email (upper-case), so a claim is one indexed comparison.
ALTER TABLE comments ADD COLUMN guest_email TEXT;

CREATE INDEX ix_comments_guest_email ON comments (guest_email) WHERE guest_email IS NOT NULL AND author_id IS NULL;

CREATE TABLE imported_items (
    -- The exported blog, e.g. 'blogger:6103943824397639239' or 'wordpress:https://example.org'.
    source      TEXT NOT NULL,
    -- The item's id in that export (an Atom entry id, a WordPress post or comment id, an image address).
    source_id   TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('post', 'page', 'comment', 'media')),
    local_id    INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (source, source_id)
) WITHOUT ROWID;

CREATE TABLE legacy_addresses (
    -- LegacyAddress.Normalize of the old address: a path, or '/?p=123' and '/?page_id=7' for WordPress ids.
    address TEXT PRIMARY KEY,
    post_id INTEGER REFERENCES posts (id) ON DELETE CASCADE,
    -- A local path, for an old address that is not one post (a label, an archive, a feed).
    target  TEXT,
    CHECK ((post_id IS NULL) <> (target IS NULL))
) WITHOUT ROWID;

CREATE INDEX ix_legacy_addresses_post_id ON legacy_addresses (post_id) WHERE post_id IS NOT NULL;

CREATE TABLE import_runs (
    id                  INTEGER PRIMARY KEY,
    started_by          TEXT REFERENCES members (id) ON DELETE SET NULL,
    file_name           TEXT NOT NULL,
    dry_run             INTEGER NOT NULL DEFAULT 0,
    fetch_remote_images INTEGER NOT NULL DEFAULT 0,
    state               TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'finished', 'failed')),
    -- What the import is doing now ('reading posts', 'storing pictures', ...), and how far: done of total.
    phase               TEXT NOT NULL DEFAULT '',
    done                INTEGER NOT NULL DEFAULT 0,
    total               INTEGER NOT NULL DEFAULT 0,
    -- The ImportReport as JSON once finished; error holds the reason a failed run stopped.
    report_json         TEXT,
    error               TEXT,
    created_at          TEXT NOT NULL,
    finished_at         TEXT
);
