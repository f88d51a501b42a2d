using Blog.Web.Commands;
using Blog.Web.Data;
using Blog.Web.Features.Media;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Blog.Web.Tests.Commands;

/// <summary>
/// copy-to-postgresql on a SQLite blog with rows in every table and real pictures: the counts match, the values
/// survive (times to the microsecond, flags, label case, Unicode), ids continue, search works, and the pictures are
/// in media_blobs. A table added later without being copied fails <see cref="EveryTableOfTheSqliteSchemaHasRowsAndIsCopied"/>.
/// </summary>
[Trait("Database", "PostgreSQL")]
public sealed class CopyToPostgresCommandTests : IAsyncLifetime
{
    private readonly string _folder = TestDataFolder.Create();
    private PostgresTestDatabase _postgres = null!;
    private SeededBlog _blog = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresTestDatabase.CreateAsync();
        _blog = await SeedAsync(_folder);
    }

    public async Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await _postgres.DisposeAsync();
        TestDataFolder.Delete(_folder);
    }

    [Fact]
    public async Task EveryTableOfTheSqliteSchemaHasRowsAndIsCopied()
    {
        var before = SqliteCounts();

        var (exitCode, output, error) = await RunAsync();

        Assert.True(exitCode == 0, error);
        Assert.Equal("", error);
        // Every table the SQLite schema has (FTS5's shadow tables and the migration record aside) was seeded, so a
        // table the copy forgot, or one this seeding forgot, shows up here.
        Assert.All(before, table => Assert.True(table.Value > 0, $"The test blog has no rows in {table.Key}: seed it."));
        await using var connection = await _postgres.DataSource.OpenConnectionAsync();
        foreach (var (table, rows) in before)
        {
            var target = table == "posts_fts" ? "posts_search" : table;
            Assert.Equal((table, rows), (table, await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {target}")));
            Assert.Matches($@"(?m)^{target}\s+{rows:N0}\s+{rows:N0}\s*$", output);
        }
        Assert.Equal(_blog.PictureFiles.Count, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM media_blobs"));
        Assert.Contains("every table's row count matches", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValuesSurviveTheChangeOfEngine()
    {
        Assert.Equal(0, (await RunAsync()).ExitCode);

        await using var connection = await _postgres.DataSource.OpenConnectionAsync();
        var comment = await connection.QuerySingleAsync<(DateTime CreatedAt, string Body)>(
            "SELECT created_at, body_markdown FROM comments WHERE id = 1001");
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(1_234_560), comment.CreatedAt.ToUniversalTime());
        Assert.Equal(EveryTableSeeder.AwkwardText, comment.Body);
        Assert.Equal(_blog.EmojiTitle, await connection.ExecuteScalarAsync<string>("SELECT title FROM posts WHERE id = @Id", new { Id = _blog.PostId }));
        Assert.False(await connection.ExecuteScalarAsync<bool>("SELECT allow_comments FROM posts WHERE id = @Id", new { Id = _blog.ClosedPostId }));
        Assert.True(await connection.ExecuteScalarAsync<bool>("SELECT allow_comments FROM posts WHERE id = @Id", new { Id = _blog.PostId }));
        Assert.True(await connection.ExecuteScalarAsync<bool>("SELECT fetch_remote_images FROM import_runs"));
        Assert.False(await connection.ExecuteScalarAsync<bool>("SELECT dry_run FROM import_runs"));
        Assert.Equal(["Café ☕", "Travel"], (await connection.QueryAsync<string>("SELECT name::text FROM labels ORDER BY name::text")).ToList());
        Assert.Equal(EveryTableSeeder.SaltBytes, await connection.ExecuteScalarAsync<byte[]>("SELECT salt FROM stats_salts"));
        // The parent's id was kept, so the reply still hangs under it.
        Assert.Equal(1001L, await connection.ExecuteScalarAsync<long>("SELECT parent_id FROM comments WHERE id = 1002"));
        // The search rows are rebuilt for PostgreSQL: its own text search finds the post by a word of its body.
        Assert.Equal(_blog.PostId, await connection.ExecuteScalarAsync<long>(
            "SELECT post_id FROM posts_search WHERE document @@ websearch_to_tsquery('quire', 'lighthouse')"));
        foreach (var (name, bytes) in _blog.PictureFiles)
        {
            Assert.Equal(bytes, await connection.ExecuteScalarAsync<byte[]>("SELECT content FROM media_blobs WHERE name = @Name", new { Name = name }));
        }
    }

    [Fact]
    public async Task NewRowsGetIdsAfterTheCopiedOnes()
    {
        Assert.Equal(0, (await RunAsync()).ExitCode);

        await using var connection = await _postgres.DataSource.OpenConnectionAsync();
        var copied = await connection.ExecuteScalarAsync<long>("SELECT max(id) FROM labels");
        var id = await connection.ExecuteScalarAsync<long>("INSERT INTO labels (name) VALUES ('New') RETURNING id");
        Assert.Equal(copied + 1, id);
        Assert.Equal(8, await connection.ExecuteScalarAsync<long>("""
            INSERT INTO indieauth_tokens (token_hash, member_id, client_id, scope, created_at)
            SELECT 'another', member_id, client_id, scope, now() FROM indieauth_tokens RETURNING id
            """));
    }

    [Fact]
    public async Task ASecondCopyIsRefusedAndChangesNothing()
    {
        Assert.Equal(0, (await RunAsync()).ExitCode);

        var (exitCode, output, error) = await RunAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("The PostgreSQL database is not empty", error, StringComparison.Ordinal);
        Assert.DoesNotContain("matches", output, StringComparison.Ordinal);
        await using var connection = await _postgres.DataSource.OpenConnectionAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM comments WHERE id IN (1001, 1002)"));
    }

    [Fact]
    public async Task ARowThePostgresSchemaRefusesRollsTheWholeCopyBack()
    {
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "blog.db")};Pooling=False"))
        {
            // A flag SQLite kept but a boolean cannot hold.
            connection.Execute("UPDATE import_runs SET dry_run = 2");
        }

        var (exitCode, _, error) = await RunAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("import_runs.dry_run holds 2", error, StringComparison.Ordinal);
        await using var target = await _postgres.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await target.ExecuteScalarAsync<long>("SELECT count(*) FROM members"));
        Assert.Equal(0, await target.ExecuteScalarAsync<long>("SELECT count(*) FROM media_blobs"));
    }

    [Theory]
    [InlineData("extra")]
    [InlineData("--to")]
    public async Task ArgumentsAreRefusedWithTheUsage(string argument)
    {
        var (exitCode, _, error) = await RunAsync([argument]);

        Assert.Equal(1, exitCode);
        Assert.Contains("Usage: copy-to-postgresql", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAConnectionStringItSaysWhatToSet()
    {
        var (exitCode, _, error) = await RunAsync([], connectionString: null);

        Assert.Equal(1, exitCode);
        Assert.Contains("Set ConnectionStrings:Blog", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ItRefusesWhileTheBlogRunsOnTheDataFolder()
    {
        using var running = new DataFolder(_folder).TryTakeRunningLock();

        var (exitCode, _, error) = await RunAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("stop it first", error, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync() => RunAsync([], _postgres.ConnectionString);

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, string? connectionString = "")
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(new DataFolder(_folder))
            .AddSingleton(Options.Create(new DatabaseOptions
            {
                ConnectionString = connectionString == "" ? _postgres.ConnectionString : connectionString,
            }))
            .AddSingleton(Migration.FromEmbeddedResources(typeof(Migration).Assembly))
            .BuildServiceProvider();
        await using var _ = services;
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CommandConsole(new StringReader(""), output, error, _ => null);
        var exitCode = await BlogCommands.Find(["copy-to-postgresql"])!.RunAsync(services, args, console, CancellationToken.None);
        return (exitCode, output.ToString(), error.ToString());
    }

    private Dictionary<string, long> SqliteCounts()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "blog.db")};Pooling=False");
        var tables = connection.Query<string>("""
            SELECT name FROM sqlite_schema
            WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND name NOT LIKE 'posts\_fts\_%' ESCAPE '\'
              AND name <> 'schema_migrations'
            """).ToList();
        return tables.ToDictionary(t => t, t => connection.ExecuteScalar<long>($"SELECT count(*) FROM \"{t}\""));
    }

    private sealed record SeededBlog(long PostId, long ClosedPostId, string EmojiTitle, Dictionary<string, byte[]> PictureFiles);

    /// <summary>A SQLite blog made by the app (accounts, posts with labels and search rows, pictures), then stopped.</summary>
    private static async Task<SeededBlog> SeedAsync(string folder)
    {
        const string emojiTitle = "Fête au phare 🎉 naïve";
        // The blog to copy is a SQLite one, on the PostgreSQL pass too.
        using var app = new BlogAppFactory(folder);
        app.Settings["Blog:Database:Provider"] = "Sqlite";
        var owner = await BlogClient.CreateAccountAsync(app, MemberRole.Owner);
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member, displayName: "Zoë 🌸");
        var posts = PostSeeder.InsertMany(app, [
            new SeedPost { Title = emojiTitle, AuthorId = owner.Id, Labels = ["Travel", "Café ☕"], BodyHtml = "<p>The lighthouse at dawn.</p>" },
            new SeedPost { Title = "Closed for comments", AuthorId = owner.Id, AllowComments = false, Labels = ["travel"] },
        ]);
        var picture = PictureSeeder.Insert(app, new PictureSeed { Width = 1000, Height = 600, UploadedBy = owner.Id, AltText = "Un phare 🗼" });
        using (var connection = (SqliteConnection)app.OpenDatabase())
        {
            EveryTableSeeder.FillTheRest(connection, owner.Id, member.Id, posts[0].Id, picture.Id);
        }
        return new SeededBlog(posts[0].Id, posts[1].Id, emojiTitle, picture.Files);
    }
}
