-- Indexes and derived data so that every page readers ask for costs the same on a blog of 100 posts and on
-- one of 100,000 posts with a million comments. tests/Blog.Web.Tests/Data/ReadingCostTests.cs runs
-- EXPLAIN QUERY PLAN over the reading queries and fails when one of them scans a table.

-- Published posts newest first. Read backwards, (kind, status, published_at) with the rowid at the end gives
-- "ORDER BY published_at DESC, id DESC" straight from the index, so the home page, archive pages and feeds
-- stop after LIMIT rows; the old index was declared DESC and forced a sort on the id tie-break. It also
-- covers the archive widget's per-month counts (only published_at is read).
DROP INDEX ix_posts_kind_status_published_at;
CREATE INDEX ix_posts_kind_status_published_at ON posts (kind, status, published_at);

-- Search ranks every matching post, and must check each one is visible. Posts rows are large (the body comes
-- before status and published_at, in overflow pages), so that check reads this narrow index instead: the
-- search query names it with INDEXED BY because SQLite would otherwise go to the table by rowid.
CREATE INDEX ix_posts_visible_by_id ON posts (id, published_at) WHERE kind = 'post' AND status = 'published';

-- A label page must find the label's newest visible posts without visiting every post with that label (half
-- the blog for a popular one). post_labels carries its post's publication time while the post is a published
-- post (NULL for drafts and pages); readers still compare it with "now", so scheduled posts appear on time.
-- Triggers keep the copy right whoever writes the post: the editor, a seed script or generate-data.
ALTER TABLE post_labels ADD COLUMN published_at TEXT;

UPDATE post_labels
SET published_at = (SELECT p.published_at FROM posts p WHERE p.id = post_labels.post_id AND p.kind = 'post' AND p.status = 'published');

CREATE INDEX ix_post_labels_label_published ON post_labels (label_id, published_at) WHERE published_at IS NOT NULL;

CREATE TRIGGER tr_post_labels_copy_published_at AFTER INSERT ON post_labels
BEGIN
    UPDATE post_labels
    SET published_at = (SELECT p.published_at FROM posts p WHERE p.id = NEW.post_id AND p.kind = 'post' AND p.status = 'published')
    WHERE post_id = NEW.post_id AND label_id = NEW.label_id;
END;

CREATE TRIGGER tr_posts_copy_published_at AFTER UPDATE OF kind, status, published_at ON posts
WHEN OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
BEGIN
    UPDATE post_labels
    SET published_at = CASE WHEN NEW.kind = 'post' AND NEW.status = 'published' THEN NEW.published_at END
    WHERE post_id = NEW.id;
END;

-- The sidebar (posts per month, posts per label) is computed once and kept in memory until this number
-- changes. Triggers bump it on every change that can move a count: a post added, deleted, published,
-- unpublished or rescheduled, a label added to or taken off a post, a label renamed or deleted. Editing a
-- post's text does not. Scheduled posts need no bump: the cache also expires when the next one's time comes.
CREATE TABLE post_counts_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);

INSERT INTO post_counts_version (id, version) VALUES (1, 0);

CREATE TRIGGER tr_posts_insert_bump AFTER INSERT ON posts
BEGIN
    UPDATE post_counts_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tr_posts_delete_bump AFTER DELETE ON posts
BEGIN
    UPDATE post_counts_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tr_posts_update_bump AFTER UPDATE OF kind, status, published_at ON posts
WHEN OLD.kind IS NOT NEW.kind OR OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
BEGIN
    UPDATE post_counts_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tr_post_labels_insert_bump AFTER INSERT ON post_labels
BEGIN
    UPDATE post_counts_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tr_post_labels_delete_bump AFTER DELETE ON post_labels
BEGIN
    UPDATE post_counts_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tr_labels_update_bump AFTER UPDATE OF name ON labels
WHEN OLD.name IS NOT NEW.name
BEGIN
    UPDATE post_counts_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tr_labels_delete_bump AFTER DELETE ON labels
BEGIN
    UPDATE post_counts_version SET version = version + 1 WHERE id = 1;
END;

-- The comment section's counts and its page of threads. Comment counts are not stored on the post: with
-- status and author_id in the index, counting a post's comments (and the viewer's own held ones) and paging
-- its threads by id read only this index, a few thousand entries for the busiest post, and a count that is
-- derived cannot drift from the rows the way a maintained counter can on moderation, removal or deletion.
DROP INDEX ix_comments_post_parent;
CREATE INDEX ix_comments_post_threads ON comments (post_id, parent_id, id, status, author_id);

-- Partial indexes whose WHERE names status and removed_at still send SQLite to the table to check those columns,
-- so a count through them reads every row it counts. Carrying the two columns makes these counts index-only:
-- a post's visible comments, the "trusted writer" rule (does this member have at least N approved comments?)
-- and the owner's pending moderation count.
DROP INDEX ix_comments_visible;
CREATE INDEX ix_comments_visible ON comments (post_id, created_at, status, removed_at)
    WHERE status = 'approved' AND removed_at IS NULL;

CREATE INDEX ix_comments_author_approved ON comments (author_id, status, removed_at)
    WHERE status = 'approved' AND removed_at IS NULL;

DROP INDEX ix_comments_held;
CREATE INDEX ix_comments_held ON comments (created_at, status, removed_at) WHERE status = 'held' AND removed_at IS NULL;
