-- Posts and static pages. A post is visible to readers when status = 'published' and published_at <= now
-- (a published post with a future published_at is "scheduled"). Times are UTC ISO-8601 text.
CREATE TABLE posts (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL DEFAULT 'post' CHECK (kind IN ('post', 'page')),
    author_id      TEXT REFERENCES members (id) ON DELETE SET NULL,
    title          TEXT NOT NULL,
    subtitle       TEXT NOT NULL DEFAULT '',
    slug           TEXT NOT NULL,
    body_markdown  TEXT NOT NULL DEFAULT '',
    body_html      TEXT NOT NULL DEFAULT '',
    excerpt        TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    published_at   TEXT,
    allow_comments INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (kind, slug)
);

-- The home page, archive and feeds read published posts newest first.
CREATE INDEX ix_posts_kind_status_published_at ON posts (kind, status, published_at DESC);
CREATE INDEX ix_posts_author_id ON posts (author_id);

-- Labels (Blogger's word for tags), created on the fly when a post names them.
CREATE TABLE labels (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE post_labels (
    post_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    label_id INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, label_id)
) WITHOUT ROWID;

CREATE INDEX ix_post_labels_label_id ON post_labels (label_id, post_id);

-- Old slugs of published posts keep working as 301s to the current address.
CREATE TABLE post_slug_redirects (
    kind     TEXT NOT NULL,
    old_slug TEXT NOT NULL,
    post_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, old_slug)
) WITHOUT ROWID;

-- Full-text search over published posts; rowid = posts.id. The app writes it in the same transaction as
-- the post (body_text is the rendered body as plain text, labels the label names joined by spaces).
CREATE VIRTUAL TABLE posts_fts USING fts5 (
    title, subtitle, body_text, labels,
    tokenize = 'unicode61 remove_diacritics 2'
);
