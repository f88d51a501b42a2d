-- The author's desk: revisions, writing from other apps (Micropub with IndieAuth), moderation from the inbox and
-- reading statistics. Times are UTC ISO-8601 text, as everywhere.

-- ── Revisions ────────────────────────────────────────────────────────────────────────────────────────────────
-- posts.version counts the saves of a post. The editor sends back the version it opened; a save made from an older
-- one is refused (optimistic concurrency), so two people editing one post never overwrite each other silently.
ALTER TABLE posts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Every save keeps what the author wrote (not the rendered HTML: a revision is restored through the editor's rules).
CREATE TABLE post_revisions (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    -- posts.version right after this save: revision N of a post is what version N held.
    version     INTEGER NOT NULL,
    editor_id   TEXT REFERENCES members (id) ON DELETE SET NULL,
    -- How the text came: the editor, a restore of an older revision, a Micropub client, an import.
    origin      TEXT NOT NULL DEFAULT 'editor' CHECK (origin IN ('editor', 'restore', 'micropub', 'import')),
    created_at  TEXT NOT NULL,
    title       TEXT NOT NULL,
    subtitle    TEXT NOT NULL,
    body        TEXT NOT NULL,
    body_format TEXT NOT NULL DEFAULT 'markdown' CHECK (body_format IN ('markdown', 'html')),
    -- The label names joined by ", ", as the editor shows them.
    labels      TEXT NOT NULL DEFAULT '',
    UNIQUE (post_id, version)
);

-- Posts written before revisions were kept start with what they hold now as revision 1, so their first edit can be
-- compared with it and undone.
INSERT INTO post_revisions (post_id, version, editor_id, origin, created_at, title, subtitle, body, body_format, labels)
SELECT p.id, 1, p.author_id, 'editor', p.updated_at, p.title, p.subtitle, p.body_markdown, p.body_format,
       COALESCE((SELECT group_concat(l.name, ', ') FROM post_labels pl JOIN labels l ON l.id = pl.label_id
                 WHERE pl.post_id = p.id), '')
FROM posts p;

-- Text autosaved while an editor types: one row per post and person, replaced every few seconds and deleted by the
-- next real save. It is never published and never shown to readers.
CREATE TABLE post_autosaves (
    post_id      INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    editor_id    TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    -- The version the editor had open: an autosave of an older version is offered with a warning, never applied blindly.
    base_version INTEGER NOT NULL,
    title        TEXT NOT NULL,
    subtitle     TEXT NOT NULL,
    body         TEXT NOT NULL,
    labels       TEXT NOT NULL,
    saved_at     TEXT NOT NULL,
    PRIMARY KEY (post_id, editor_id)
) WITHOUT ROWID;

-- ── IndieAuth and Micropub ───────────────────────────────────────────────────────────────────────────────────
-- Authorization codes: single use (used_at), short-lived, bound to the client, its redirect address and the PKCE
-- challenge. Only a hash of the code is stored.
CREATE TABLE indieauth_codes (
    code_hash      TEXT PRIMARY KEY,
    member_id      TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    client_id      TEXT NOT NULL,
    redirect_uri   TEXT NOT NULL,
    scope          TEXT NOT NULL,
    code_challenge TEXT NOT NULL,
    -- The name the consent page showed, carried to the token the code is exchanged for.
    client_name    TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    used_at        TEXT,
    -- The token this code was exchanged for: a second use of the code revokes it (the code may have been stolen).
    token_id       INTEGER
) WITHOUT ROWID;

-- Codes are kept a day past their expiry, to recognise a replayed one; then deleted by the next authorization.
CREATE INDEX ix_indieauth_codes_expires ON indieauth_codes (expires_at);

-- Access tokens granted to apps (listed, with revoke, on the account page). Only a hash of the token is stored.
CREATE TABLE indieauth_tokens (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    member_id    TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    client_id    TEXT NOT NULL,
    -- The name the consent page showed (from the client's own page, or its address).
    client_name  TEXT NOT NULL DEFAULT '',
    -- Space-separated, as OAuth writes scopes: e.g. 'create update media'.
    scope        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    expires_at   TEXT,
    revoked_at   TEXT
);

CREATE INDEX ix_indieauth_tokens_member ON indieauth_tokens (member_id, created_at);

-- Posts a Micropub client deleted: off the blog (a draft again) with what an undelete needs to put them back as they
-- were. Comments stay with the post.
CREATE TABLE micropub_deletions (
    post_id               INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    previous_status       TEXT NOT NULL,
    previous_published_at TEXT,
    deleted_by            TEXT REFERENCES members (id) ON DELETE SET NULL,
    deleted_at            TEXT NOT NULL
);

-- ── Moderation from the inbox ────────────────────────────────────────────────────────────────────────────────
-- The approve and reject links in the mail about a held comment. Each works once, until it expires, for that one
-- comment and the person it was mailed to; only a hash of its secret is stored.
CREATE TABLE moderation_links (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    comment_id   INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    recipient_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    action       TEXT NOT NULL CHECK (action IN ('approve', 'reject')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT
);

CREATE INDEX ix_moderation_links_comment ON moderation_links (comment_id);
CREATE INDEX ix_moderation_links_expires ON moderation_links (expires_at);

-- ── Statistics ───────────────────────────────────────────────────────────────────────────────────────────────
-- Counted on the server, without cookies and without addresses. Days are the blog's calendar days ('2026-12-03').
-- Rows are added to (count = count + n) by batched writes, so several instances may count into the same rows.
CREATE TABLE stats_post_days (
    day      TEXT NOT NULL,
    post_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    views    INTEGER NOT NULL DEFAULT 0,
    visitors INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, post_id)
) WITHOUT ROWID;

CREATE INDEX ix_stats_post_days_post ON stats_post_days (post_id, day);

-- Comments per day on the statistics page count visible comments by time. Carrying status and removed_at makes
-- those counts index-only (see 0005): a year of a million comments is read from this index, not from the table.
CREATE INDEX ix_comments_visible_by_time ON comments (created_at, status, removed_at)
    WHERE status = 'approved' AND removed_at IS NULL;

CREATE TABLE stats_referrer_days (
    day    TEXT NOT NULL,
    domain TEXT NOT NULL,
    views  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, domain)
) WITHOUT ROWID;

CREATE TABLE stats_search_days (
    day      TEXT NOT NULL,
    term     TEXT NOT NULL,
    searches INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, term)
) WITHOUT ROWID;

-- Today's salt, and the salted hashes of (address, user agent) that already counted as a visitor of a post today.
-- Both are deleted when the day is over: after that, no hash can be tied to an address again.
CREATE TABLE stats_salts (
    day  TEXT PRIMARY KEY,
    salt BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE stats_visitors (
    day          TEXT NOT NULL,
    post_id      INTEGER NOT NULL,
    visitor_hash BLOB NOT NULL,
    PRIMARY KEY (day, post_id, visitor_hash)
) WITHOUT ROWID;
