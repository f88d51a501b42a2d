using Blog.Web.Data;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace Blog.Web.Tests.Data;

// SQLite by nature: The SQLite migrator on SQLite files (PostgresMigratorTests test PostgreSQL's).
[Trait("Database", "Sqlite")]
public sealed class MigratorTests : IDisposable
{
    private readonly string _folder = TestDataFolder.Create();

    private SqliteDatabase Database => new(Path.Combine(_folder, "blog.db"));

    private Migrator MigratorFor(IReadOnlyList<Migration> migrations) =>
        new(Database, migrations, NullLogger<Migrator>.Instance);

    private static IReadOnlyList<Migration> Embedded => Migration.FromEmbeddedResources(typeof(Migration).Assembly);

    public void Dispose() => TestDataFolder.Delete(_folder);

    [Fact]
    public async Task FreshDatabaseGetsEveryMigrationAndTheFullSchema()
    {
        var applied = await MigratorFor(Embedded).ApplyAsync();

        Assert.Equal(Embedded.Count, applied);
        await using var connection = await Database.OpenSqliteAsync();
        var recorded = await connection.QueryAsync<string>("SELECT file_name FROM schema_migrations ORDER BY version");
        Assert.Equal(Embedded.Select(m => m.FileName), recorded);
        // A new migration that adds a table, index or trigger adds its name here too: the list is the schema.
        Assert.Equal(
            [
                "comment_reports", "comments", "import_runs", "imported_items", "indieauth_codes", "indieauth_tokens", "invitations", "labels", "legacy_addresses",
                "mail_outbox", "media", "media_files", "member_preferences", "members", "membership_requests", "micropub_deletions", "moderation_links",
                "post_autosaves", "post_counts_version", "post_labels", "post_media", "post_revisions", "post_slug_redirects", "posts",
                // posts_fts is an FTS5 table; SQLite keeps its index in the five shadow tables after it.
                "posts_fts", "posts_fts_config", "posts_fts_content", "posts_fts_data", "posts_fts_docsize", "posts_fts_idx",
                "schema_migrations", "setup_links", "site_settings", "stats_post_days", "stats_referrer_days", "stats_salts", "stats_search_days", "stats_visitors",
            ],
            await SchemaNamesAsync(connection, "table"));
        Assert.Equal(
            [
                "ix_comment_reports_open", "ix_comments_author_approved", "ix_comments_author_created", "ix_comments_guest_email", "ix_comments_held",
                "ix_comments_post_root", "ix_comments_post_threads", "ix_comments_visible", "ix_comments_visible_by_time", "ix_comments_visible_created",
                "ix_indieauth_codes_expires", "ix_indieauth_tokens_member", "ix_legacy_addresses_post_id", "ix_mail_outbox_due", "ix_mail_outbox_given_up", "ix_media_uploaded_at", "ix_members_role",
                "ix_moderation_links_comment", "ix_moderation_links_expires", "ix_post_labels_label_id",
                "ix_post_labels_label_published", "ix_post_media_media_id", "ix_posts_author_id",
                "ix_posts_kind_status_published_at", "ix_posts_visible_by_id", "ix_stats_post_days_post", "ux_membership_requests_open",
            ],
            await SchemaNamesAsync(connection, "index"));
        Assert.Equal(
            [
                "tr_labels_delete_bump", "tr_labels_update_bump", "tr_post_labels_copy_published_at",
                "tr_post_labels_delete_bump", "tr_post_labels_insert_bump", "tr_posts_copy_published_at",
                "tr_posts_delete_bump", "tr_posts_insert_bump", "tr_posts_update_bump",
            ],
            await SchemaNamesAsync(connection, "trigger"));
    }

    /// <summary>Names of one kind of schema object, leaving out SQLite's own (e.g. indexes behind UNIQUE and PRIMARY KEY).</summary>
    private static async Task<List<string>> SchemaNamesAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string type) =>
        [.. await connection.QueryAsync<string>(
            "SELECT name FROM sqlite_schema WHERE type = @Type AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
            new { Type = type })];

    [Fact]
    public async Task SecondRunIsANoOp()
    {
        await MigratorFor(Embedded).ApplyAsync();

        var appliedAgain = await MigratorFor(Embedded).ApplyAsync();

        Assert.Equal(0, appliedAgain);
    }

    [Fact]
    public async Task DatabaseRunsInWriteAheadLogMode()
    {
        await MigratorFor(Embedded).ApplyAsync();

        await using var connection = await Database.OpenAsync();

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("PRAGMA foreign_keys"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("PRAGMA synchronous")); // 1 = NORMAL
        Assert.Equal(SqliteDatabase.BusyTimeoutMilliseconds, await connection.ExecuteScalarAsync<int>("PRAGMA busy_timeout"));
    }

    [Fact]
    public async Task BrokenMigrationNamesItsFileAndLeavesTheDatabaseAsItWas()
    {
        var good = new Migration(1, "0001_create_notes.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY);");
        var broken = new Migration(2, "0002_add_broken_things.sql", """
            CREATE TABLE half_done (id INTEGER PRIMARY KEY);
            INSERT INTO notes (id) VALUES (1);
            THIS IS NOT SQL;
            """);
        await MigratorFor([good]).ApplyAsync();

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => MigratorFor([good, broken]).ApplyAsync());

        Assert.Contains("0002_add_broken_things.sql", failure.Message, StringComparison.Ordinal);
        await using var connection = await Database.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'half_done'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notes"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT MAX(version) FROM schema_migrations"));
    }

    [Theory]
    [InlineData(Migration.SqliteFolder)]
    [InlineData(Migration.PostgresFolder)]
    public void EmbeddedMigrationsMatchTheFilesInTheRepository(string folder)
    {
        var onDisk = Migration.FromDirectory(Path.Combine(RepositoryRoot.Path, folder));

        var embedded = Migration.FromEmbeddedResources(typeof(Migration).Assembly, folder);

        Assert.NotEmpty(onDisk);
        Assert.Equal(onDisk.Select(m => (m.FileName, m.Sql)), embedded.Select(m => (m.FileName, m.Sql)));
        Assert.Equal(Enumerable.Range(1, onDisk.Count), onDisk.Select(m => m.Version));
    }

    [Fact]
    public void EachEngineHasTheSameFilesUnderTheSameNames()
    {
        // A backup's history is checked by file name, and a blog moves between engines at a given version.
        var postgres = Migration.FromEmbeddedResources(typeof(Migration).Assembly, Migration.PostgresFolder);

        Assert.Equal(Embedded.Select(m => m.FileName), postgres.Select(m => m.FileName));
    }

    [Fact]
    public void AFolderWithoutMigrationsIsRefused()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Migration.FromEmbeddedResources(typeof(Migration).Assembly, "db/migrations"));

        Assert.Contains("db/migrations", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadlyNamedMigrationFileIsRefused()
    {
        File.WriteAllText(Path.Combine(_folder, "add-things.sql"), "SELECT 1;");

        var failure = Assert.Throws<InvalidOperationException>(() => Migration.FromDirectory(_folder));

        Assert.Contains("add-things.sql", failure.Message, StringComparison.Ordinal);
    }
}
