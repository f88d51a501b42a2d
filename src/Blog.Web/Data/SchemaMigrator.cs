namespace Blog.Web.Data;

/// <summary>
/// Brings the blog's database up to the newest schema of its engine: <see cref="Migrator"/> on SQLite,
/// <see cref="PostgresMigrator"/> on PostgreSQL. Start-up and every command that needs the schema go through this,
/// so none of them asks which engine it is on.
/// </summary>
public abstract class SchemaMigrator
{
    /// <summary>Applies the pending migrations and returns how many there were.</summary>
    /// <exception cref="MigrationFailedException">A file failed; the database is as it was before that file.</exception>
    public abstract Task<int> ApplyAsync(CancellationToken cancellationToken = default);
}
