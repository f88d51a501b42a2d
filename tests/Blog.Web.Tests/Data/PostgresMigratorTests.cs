using Blog.Web.Data;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace Blog.Web.Tests.Data;

[Trait("Database", "PostgreSQL")]
public sealed class PostgresMigratorTests : IAsyncLifetime
{
    private PostgresTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await PostgresTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task FreshDatabaseGetsEveryFileNamedAsSqlitesTwin()
    {
        var applied = await _database.Migrator().ApplyAsync();

        Assert.Equal(PostgresTestDatabase.Migrations.Count, applied);
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        var recorded = (await connection.QueryAsync<string>("SELECT file_name FROM schema_migrations ORDER BY version")).ToList();
        // Numbered and named in step: a backup's history is checked by file name, whichever engine wrote it.
        Assert.Equal(Migration.FromEmbeddedResources(typeof(Migration).Assembly, Migration.SqliteFolder).Select(m => m.FileName), recorded);
        Assert.Equal(PostgresTestDatabase.Migrations.Count, recorded.Count);
    }

    [Fact]
    public async Task SecondRunIsANoOp()
    {
        await _database.Migrator().ApplyAsync();

        var appliedAgain = await _database.Migrator().ApplyAsync();

        Assert.Equal(0, appliedAgain);
    }

    [Fact]
    public async Task TwoMigratorsStartedTogetherApplyEachFileOnceAndBothFinish()
    {
        // Hold the lock first, so both migrators are certainly waiting at the same moment; then let them race.
        await using var holder = await _database.DataSource.OpenConnectionAsync();
        await holder.ExecuteAsync("SELECT pg_advisory_lock(@Key)", new { Key = PostgresMigrator.AdvisoryLockKey });
        await using var secondInstance = NpgsqlDataSource.Create(_database.ConnectionString);
        var first = _database.Migrator().ApplyAsync();
        var second = _database.Migrator(dataSource: secondInstance).ApplyAsync();
        var deadline = DateTime.UtcNow + Eventually.DefaultPatience;
        while (await WaitingForTheLockAsync(holder) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(2, await WaitingForTheLockAsync(holder));
        Assert.False(first.IsCompleted || second.IsCompleted);

        await holder.ExecuteAsync("SELECT pg_advisory_unlock(@Key)", new { Key = PostgresMigrator.AdvisoryLockKey });
        var applied = await Task.WhenAll(first, second);

        Assert.Equal([0, PostgresTestDatabase.Migrations.Count], applied.Order());
        Assert.Equal(PostgresTestDatabase.Migrations.Count, await holder.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(0, await WaitingForTheLockAsync(holder));
    }

    [Fact]
    public async Task AnInstanceWhoseFilesAnotherAppliedReadsTheTypesTheyCreated()
    {
        // This instance's pool connects, and learns the database's types, before the other instance has migrated.
        await using var thisInstance = NpgsqlDataSource.Create(_database.ConnectionString);
        await (await thisInstance.OpenConnectionAsync()).DisposeAsync();
        await _database.Migrator().ApplyAsync();

        var appliedHere = await _database.Migrator(dataSource: thisInstance).ApplyAsync();
        await using var connection = await thisInstance.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO labels (name) VALUES ('Travel')");
        var citext = await connection.ExecuteScalarAsync<object>("SELECT name FROM labels");

        Assert.Equal(0, appliedHere);
        Assert.Equal("Travel", citext);
    }

    private static Task<long> WaitingForTheLockAsync(NpgsqlConnection connection) =>
        connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");

    [Fact]
    public async Task BrokenMigrationNamesItsFileAndLeavesTheDatabaseAsItWas()
    {
        var good = new Migration(1, "0001_create_notes.sql", "CREATE TABLE notes (id bigint PRIMARY KEY);");
        var broken = new Migration(2, "0002_add_broken_things.sql", """
            CREATE TABLE half_done (id bigint PRIMARY KEY);
            INSERT INTO notes (id) VALUES (1);
            THIS IS NOT SQL;
            """);
        await _database.Migrator([good]).ApplyAsync();

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => _database.Migrator([good, broken]).ApplyAsync());

        Assert.Equal("0002_add_broken_things.sql", failure.FileName);
        Assert.Contains("0002_add_broken_things.sql", failure.Message, StringComparison.Ordinal);
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        Assert.Null(await connection.ExecuteScalarAsync<string>("SELECT to_regclass('half_done')::text"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notes"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT MAX(version) FROM schema_migrations"));
        // The failed run let go of the lock: the next start is not stuck behind it.
        Assert.Equal(0, await _database.Migrator([good]).ApplyAsync());
    }

    [Theory]
    [InlineData("Crème brûlée", "creme brulee")]
    [InlineData("creme brulee", "Crème Brûlée")]
    [InlineData("Ærøskøbing naïve", "aeroskobing NAIVE")]
    [InlineData("Ελληνικά", "ελληνικα")]
    [InlineData("São-Paulo", "sao paulo")]
    public async Task SearchMatchesWordsWhateverTheirAccentsOrCase(string written, string searched)
    {
        await _database.Migrator().ApplyAsync();
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        var postId = await InsertPostAsync(connection, "a-post");
        await connection.ExecuteAsync(
            "INSERT INTO posts_search (post_id, title, body_text) VALUES (@PostId, 'A title', @Written)", new { PostId = postId, Written = written });

        var found = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM posts_search WHERE document @@ websearch_to_tsquery('quire', @Searched)", new { Searched = searched });
        var unrelated = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM posts_search WHERE document @@ websearch_to_tsquery('quire', 'croissant')");

        Assert.Equal(1, found);
        Assert.Equal(0, unrelated);
    }

    // The longest is a hundred times what FtsQuery lets through (MaxInputLength). Uncapped, some 20,000 operators
    // overflow PostgreSQL's stack while matching (54001), so the cap must stay in front of this engine too.
    public static TheoryData<string> HostileSearches() =>
    [
        "\"unclosed", "-", "OR", "a & b | !c (d) e:* <-> f", "'; DROP TABLE posts; --", new string('(', 10_000),
        new string('x', 5_000), string.Concat(Enumerable.Repeat("\"café\" -b OR ", 2_000)), "e\u0301\u0301\u0301", "שלום עולם", "🙂🙃",
    ];

    /// <summary>Whatever a reader types is a query under this configuration: never an error (which would be a 500).</summary>
    [Theory]
    [MemberData(nameof(HostileSearches))]
    public async Task AnySearchTextIsAQuery(string searched)
    {
        await _database.Migrator().ApplyAsync();
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        var postId = await InsertPostAsync(connection, "a-post");
        await connection.ExecuteAsync("INSERT INTO posts_search (post_id, title, body_text) VALUES (@PostId, 'Cafe', @Searched)", new { PostId = postId, Searched = searched });

        var found = await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM posts_search WHERE document @@ websearch_to_tsquery('quire', @Searched)", new { Searched = searched });

        Assert.InRange(found, 0, 1);
    }

    [Fact]
    public async Task SearchRowGoesWithItsPost()
    {
        await _database.Migrator().ApplyAsync();
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        var postId = await InsertPostAsync(connection, "a-post");
        await connection.ExecuteAsync("INSERT INTO posts_search (post_id, title) VALUES (@PostId, 'Gone soon')", new { PostId = postId });

        await connection.ExecuteAsync("DELETE FROM posts WHERE id = @PostId", new { PostId = postId });

        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM posts_search"));
    }

    [Fact]
    public async Task LabelNamesAreOneLabelWhateverTheirCase()
    {
        await _database.Migrator().ApplyAsync();
        await using var connection = await _database.DataSource.OpenConnectionAsync();

        foreach (var name in new[] { "Travel", "travel", "TRAVEL" })
        {
            await connection.ExecuteAsync("INSERT INTO labels (name) VALUES (@Name) ON CONFLICT (name) DO NOTHING", new { Name = name });
        }

        Assert.Equal("Travel", await connection.ExecuteScalarAsync<string>("SELECT name::text FROM labels WHERE name = 'tRaVeL'"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM labels"));
    }

    /// <summary>The code tells one lost race from another by the name of the constraint a failed write names.</summary>
    [Theory]
    [InlineData("ux_members_normalized_user_name",
        "INSERT INTO members (id, user_name, normalized_user_name, normalized_email, display_name, created_at) VALUES ('m2', 'a', 'A', 'B@EXAMPLE.ORG', 'B', now())")]
    [InlineData("ux_members_normalized_email",
        "INSERT INTO members (id, user_name, normalized_user_name, normalized_email, display_name, created_at) VALUES ('m2', 'b', 'B', 'A@EXAMPLE.ORG', 'B', now())")]
    [InlineData("ux_membership_requests_open",
        "INSERT INTO membership_requests (member_id, created_at) VALUES ('m1', now())")]
    [InlineData("ux_posts_kind_slug",
        "INSERT INTO posts (kind, title, slug, created_at, updated_at) VALUES ('post', 'Again', 'taken', now(), now())")]
    public async Task UniqueRulesTheCodeReliesOnAreNamed(string constraint, string duplicate)
    {
        await _database.Migrator().ApplyAsync();
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            INSERT INTO members (id, user_name, normalized_user_name, normalized_email, display_name, created_at) VALUES ('m1', 'a', 'A', 'A@EXAMPLE.ORG', 'A', now());
            INSERT INTO membership_requests (member_id, created_at) VALUES ('m1', now());
            """);
        await InsertPostAsync(connection, "taken");

        var failure = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(duplicate));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, failure.SqlState);
        Assert.Equal(constraint, failure.ConstraintName);
    }

    [Fact]
    public async Task AnAnsweredJoinRequestMakesRoomForANewOne()
    {
        await _database.Migrator().ApplyAsync();
        await using var connection = await _database.DataSource.OpenConnectionAsync();

        await connection.ExecuteAsync("""
            INSERT INTO members (id, user_name, normalized_user_name, display_name, created_at) VALUES ('m1', 'a', 'A', 'A', now());
            INSERT INTO membership_requests (member_id, created_at, decided_at, decision) VALUES ('m1', now(), now(), 'declined');
            INSERT INTO membership_requests (member_id, created_at) VALUES ('m1', now());
            """);

        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM membership_requests"));
    }

    private static Task<long> InsertPostAsync(NpgsqlConnection connection, string slug) =>
        connection.ExecuteScalarAsync<long>(
            "INSERT INTO posts (title, slug, created_at, updated_at) VALUES ('A post', @Slug, now(), now()) RETURNING id", new { Slug = slug });
}
