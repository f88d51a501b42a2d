-- Mail waiting to be sent (src/Blog.Web/Mail/MailOutbox.cs). A message is written here before the request that
-- caused it is answered, so a restart or a crash loses none; it is deleted once sent. A failed attempt schedules
-- the next one (next_attempt_at, further off each time); after the last attempt the row is kept, marked given
-- up (given_up_at, last_error), for the owner to see, and deleted after 30 days.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    -- Extra header fields as a JSON object (List-Unsubscribe on reply notices), or NULL.
    headers         TEXT,
    queued_at       TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    -- Set while a sender works on the row: no other sender takes it until then, and if the one that took it dies
    -- (a crash, a kill), the claim simply runs out and the mail is sent by the next.
    claimed_until   TEXT,
    last_error      TEXT,
    given_up_at     TEXT
);

-- What is due, oldest first, without reading the rows given up on.
CREATE INDEX ix_mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE given_up_at IS NULL;
-- The daily clean-up of rows given up on long ago.
CREATE INDEX ix_mail_outbox_given_up ON mail_outbox (given_up_at) WHERE given_up_at IS NOT NULL;
