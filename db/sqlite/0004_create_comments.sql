-- Comments by members under posts. A comment is never deleted by its writer or a moderator: removing it
-- leaves a tombstone (removed_at, removed_by) so the replies under it keep their place in the thread.
-- author_id is SET NULL when an account is deleted: the comments stay and read as "a deleted member".
CREATE TABLE comments (
    id            INTEGER PRIMARY KEY,
    post_id       INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    parent_id     INTEGER REFERENCES comments (id),
    -- The top-level comment of the thread (NULL for a top-level comment): threads are paged by their root.
    root_id       INTEGER REFERENCES comments (id),
    depth         INTEGER NOT NULL DEFAULT 0 CHECK (depth >= 0),
    author_id     TEXT REFERENCES members (id) ON DELETE SET NULL,
    body_markdown TEXT NOT NULL,
    body_html     TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('approved', 'held')),
    held_reason   TEXT,
    removed_at    TEXT,
    removed_by    TEXT CHECK (removed_by IN ('author', 'admin')),
    edited_at     TEXT,
    created_at    TEXT NOT NULL
);

-- The comment section: top-level comments of a post in order, then the replies of those threads.
CREATE INDEX ix_comments_post_parent ON comments (post_id, parent_id, id);
CREATE INDEX ix_comments_post_root ON comments (post_id, root_id, id);
-- Counts per post and the feeds read only what readers may see.
CREATE INDEX ix_comments_visible ON comments (post_id, created_at) WHERE status = 'approved' AND removed_at IS NULL;
CREATE INDEX ix_comments_visible_created ON comments (created_at) WHERE status = 'approved' AND removed_at IS NULL;
-- The moderation queue and its pending count.
CREATE INDEX ix_comments_held ON comments (created_at) WHERE status = 'held' AND removed_at IS NULL;
-- A writer's approved comments (trusted members skip moderation) and recent comments (the per-minute limit).
CREATE INDEX ix_comments_author_created ON comments (author_id, created_at);

-- Reports from members; one per member per comment. Open reports (resolved_at IS NULL) put the comment in the queue.
CREATE TABLE comment_reports (
    id          INTEGER PRIMARY KEY,
    comment_id  INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    member_id   TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    reason      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    resolved_at TEXT,
    UNIQUE (comment_id, member_id)
);

CREATE INDEX ix_comment_reports_open ON comment_reports (comment_id) WHERE resolved_at IS NULL;

-- Per-member choices that are not part of the account itself (members is Identity's table).
CREATE TABLE member_preferences (
    member_id           TEXT PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    email_reply_notices INTEGER NOT NULL DEFAULT 0,
    updated_at          TEXT NOT NULL
) WITHOUT ROWID;
