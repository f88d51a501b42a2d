-- People: ASP.NET Core Identity's user, plus what the blog needs to know about them.
-- role: 'reader' (registered, may not comment), 'member', 'author' (writes posts), 'owner' (runs the blog).
CREATE TABLE members (
    id                   TEXT PRIMARY KEY,
    user_name            TEXT NOT NULL,
    normalized_user_name TEXT NOT NULL UNIQUE,
    email                TEXT,
    normalized_email     TEXT UNIQUE,
    email_confirmed      INTEGER NOT NULL DEFAULT 0,
    password_hash        TEXT,
    security_stamp       TEXT,
    concurrency_stamp    TEXT,
    lockout_end          TEXT,
    lockout_enabled      INTEGER NOT NULL DEFAULT 1,
    access_failed_count  INTEGER NOT NULL DEFAULT 0,
    two_factor_enabled   INTEGER NOT NULL DEFAULT 0,
    authenticator_key    TEXT,
    recovery_codes       TEXT,
    display_name         TEXT NOT NULL,
    role                 TEXT NOT NULL DEFAULT 'reader' CHECK (role IN ('reader', 'member', 'author', 'owner')),
    banned_at            TEXT,
    created_at           TEXT NOT NULL
);

CREATE INDEX ix_members_role ON members (role);

-- Invitation links the owner hands out (invite-only mode). Only a hash of the token is stored.
CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    email       TEXT,
    created_by  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_by     TEXT REFERENCES members (id) ON DELETE SET NULL,
    used_at     TEXT,
    revoked_at  TEXT
);

-- Requests to join (request mode), one open request per person.
CREATE TABLE membership_requests (
    id          INTEGER PRIMARY KEY,
    member_id   TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    message     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    decided_at  TEXT,
    decision    TEXT CHECK (decision IN ('approved', 'declined'))
);

CREATE UNIQUE INDEX ux_membership_requests_open ON membership_requests (member_id) WHERE decided_at IS NULL;
