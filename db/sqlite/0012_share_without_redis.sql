-- Nothing changes on SQLite. Its PostgreSQL twin gives several app instances on one database, without Redis, a
-- shared data-protection key ring and counters of what each instance keeps in memory; a SQLite blog is one process
-- on one machine, with its keys in the data folder and nobody else to tell of a change.
SELECT 1;
