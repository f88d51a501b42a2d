-- PostgreSQL twin of db/sqlite/0005: the same derived data (post_labels.published_at, post_counts_version and the
-- triggers that keep them) under the same names, and the same indexes by name, designed for PostgreSQL's planner.
-- SQLite needed status and removed_at carried inside partial indexes to count from the index alone; PostgreSQL
-- answers a query that implies an index's WHERE from that index without its columns, so they are left out here,
-- and what a read only needs to fetch goes in INCLUDE rather than the key.

-- Published posts newest first: scanned backwards, (kind, status, published_at, id) yields
-- "ORDER BY published_at DESC, id DESC" straight from the index (SQLite gets the id tie-break from the rowid).
DROP INDEX ix_posts_kind_status_published_at;
CREATE INDEX ix_posts_kind_status_published_at ON posts (kind, status, published_at, id);

-- Search checks that each matching post is visible; this narrow index lets it do so without reading the post rows.
CREATE INDEX ix_posts_visible_by_id ON posts (id) INCLUDE (published_at) WHERE kind = 'post' AND status = 'published';

-- A label page finds the label's newest visible posts without visiting every post with that label: post_labels
-- carries its post's publication time while the post is a published post (NULL for drafts and pages).
ALTER TABLE post_labels ADD COLUMN published_at timestamptz;

UPDATE post_labels
SET published_at = (SELECT p.published_at FROM posts p WHERE p.id = post_labels.post_id AND p.kind = 'post' AND p.status = 'published');

CREATE INDEX ix_post_labels_label_published ON post_labels (label_id, published_at) WHERE published_at IS NOT NULL;

-- A new post_labels row takes its post's time before it is written (SQLite updates the row just inserted instead).
CREATE FUNCTION post_labels_copy_published_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.published_at := (SELECT p.published_at FROM posts p WHERE p.id = NEW.post_id AND p.kind = 'post' AND p.status = 'published');
    RETURN NEW;
END;
$$;

CREATE TRIGGER tr_post_labels_copy_published_at BEFORE INSERT ON post_labels
FOR EACH ROW EXECUTE FUNCTION post_labels_copy_published_at();

CREATE FUNCTION posts_copy_published_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE post_labels
    SET published_at = CASE WHEN NEW.kind = 'post' AND NEW.status = 'published' THEN NEW.published_at END
    WHERE post_id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_posts_copy_published_at AFTER UPDATE OF kind, status, published_at ON posts
FOR EACH ROW
WHEN (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.status IS DISTINCT FROM NEW.status OR OLD.published_at IS DISTINCT FROM NEW.published_at)
EXECUTE FUNCTION posts_copy_published_at();

-- The sidebar (posts per month, posts per label) is computed once and kept in memory until this number changes.
-- Triggers bump it on every change that can move a count: a post added, deleted, published, unpublished or
-- rescheduled, a label added to or taken off a post, a label renamed or deleted. Editing a post's text does not.
CREATE TABLE post_counts_version (
    id      bigint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);

INSERT INTO post_counts_version (id, version) VALUES (1, 0);

-- Inserts and deletes bump once per statement, and only when it touched a row (SQLite bumps once per row): every
-- bump locks this one row until commit, so a save that writes ten labels takes it once.
CREATE FUNCTION post_counts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_rows) THEN
        UPDATE post_counts_version SET version = version + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END;
$$;

-- Updates bump per changed row: PostgreSQL allows no transition table on a trigger limited to some columns.
CREATE FUNCTION post_counts_changed_by_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE post_counts_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tr_posts_insert_bump AFTER INSERT ON posts
REFERENCING NEW TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION post_counts_changed();

CREATE TRIGGER tr_posts_delete_bump AFTER DELETE ON posts
REFERENCING OLD TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION post_counts_changed();

CREATE TRIGGER tr_posts_update_bump AFTER UPDATE OF kind, status, published_at ON posts
FOR EACH ROW
WHEN (OLD.kind IS DISTINCT FROM NEW.kind OR OLD.status IS DISTINCT FROM NEW.status OR OLD.published_at IS DISTINCT FROM NEW.published_at)
EXECUTE FUNCTION post_counts_changed_by_row();

CREATE TRIGGER tr_post_labels_insert_bump AFTER INSERT ON post_labels
REFERENCING NEW TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION post_counts_changed();

CREATE TRIGGER tr_post_labels_delete_bump AFTER DELETE ON post_labels
REFERENCING OLD TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION post_counts_changed();

CREATE TRIGGER tr_labels_update_bump AFTER UPDATE OF name ON labels
FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION post_counts_changed_by_row();

CREATE TRIGGER tr_labels_delete_bump AFTER DELETE ON labels
REFERENCING OLD TABLE AS changed_rows
FOR EACH STATEMENT EXECUTE FUNCTION post_counts_changed();

-- The comment section's counts and its page of threads, from one index: status and author_id ride along in
-- INCLUDE (they filter, they do not order), so counting a post's comments and paging its threads read only it.
DROP INDEX ix_comments_post_parent;
CREATE INDEX ix_comments_post_threads ON comments (post_id, parent_id, id) INCLUDE (status, author_id);

-- The "trusted writer" rule: does this member have at least N approved comments? (ix_comments_visible and
-- ix_comments_held from 0004 already serve their counts here; SQLite rebuilt them to carry status and removed_at.)
CREATE INDEX ix_comments_author_approved ON comments (author_id) WHERE status = 'approved' AND removed_at IS NULL;
