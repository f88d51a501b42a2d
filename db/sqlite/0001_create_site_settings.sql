-- Settings the owner edits from the UI (title, description, posts per page, ...).
-- A missing key means "use the default from appsettings.json".
CREATE TABLE site_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
