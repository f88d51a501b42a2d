-- What several instances of the blog on one database must agree on, kept in the database rather than in one
-- process's memory. Times are UTC ISO-8601 text, as everywhere.

-- The one-time link that creates the owner of a fresh blog: only the SHA-256 of its token, in a single row, so
-- every instance accepts the same link and one redemption retires it for all of them.
CREATE TABLE setup_links (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    token_hash BLOB NOT NULL,
    issued_at  TEXT NOT NULL
);

-- Who holds a claim on an outbox row: a sender settles only the rows its own claim still holds, so one slower than
-- its lease cannot delete or re-mark a message another sender has taken since.
ALTER TABLE mail_outbox ADD COLUMN claim_token TEXT;

-- Which instance runs an import, and when it last said so: a starting instance marks as stopped only the runs
-- whose runner has gone quiet, never one another live instance is working on.
ALTER TABLE import_runs ADD COLUMN runner TEXT;
ALTER TABLE import_runs ADD COLUMN heartbeat_at TEXT;
