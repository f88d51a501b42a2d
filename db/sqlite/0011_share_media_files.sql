-- Nothing changes on SQLite. Its PostgreSQL twin stores the pictures' files in the database so that several app
-- instances share them; a SQLite blog is one process on one machine, and keeps its files in the data folder's
-- media/ directory, where the backup and restore commands find them.
SELECT 1;
