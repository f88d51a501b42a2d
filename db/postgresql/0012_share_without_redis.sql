-- What several instances of the blog on one PostgreSQL share when no Redis is configured (with Redis, these live there).

-- The data-protection key ring: one row per XML element the key manager stores (a key, or a revocation). Keys are
-- written rarely and read at start and on each refresh. Two instances that start together on an empty table may
-- each add a key: both rows stay, and every instance reads both, as the key manager expects of a shared ring.
CREATE TABLE data_protection_keys (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text NOT NULL,
    xml           text NOT NULL,
    created_at    timestamptz NOT NULL
);

-- A counter per thing each instance keeps a copy of in memory (the settings, the blog's address), moved by the
-- instance that changes it, which then says so with NOTIFY. An instance that cannot hear those messages (its
-- listening connection is down) compares its copy with this counter instead.
CREATE TABLE instance_changes (
    name    text PRIMARY KEY,
    version bigint NOT NULL
);
