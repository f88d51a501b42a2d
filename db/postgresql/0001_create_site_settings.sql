-- Settings the owner edits from the UI (title, description, posts per page, ...).
-- A missing key means "use the default from appsettings.json".
-- PostgreSQL twin of db/sqlite/0001: times are timestamptz (UTC moments) here, ISO-8601 text there.
CREATE TABLE site_settings (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL
);
