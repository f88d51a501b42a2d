namespace Blog.Web.Data;

/// <summary>
/// On PostgreSQL everything the blog holds is in the database, pictures included (media_blobs), so the database's own
/// tools are the backup: the backup and restore commands, made for a SQLite file and a media folder, say so instead.
/// </summary>
public static class PostgresBackup
{
    public const string Advice =
        "This blog runs on PostgreSQL, where the posts, the members and the pictures are all in the database. " +
        "Back it up with pg_dump (pg_dump -Fc -f quire.dump <database>) and restore it with pg_restore into a new, empty " +
        "database (createdb <new database>; pg_restore -d <new database> quire.dump), then point ConnectionStrings:Blog at it.";
}
