using System.Data.Common;
using System.Net;
using System.Text.RegularExpressions;
using Blog.Web.Commands;
using Blog.Web.Tests.Features.OnPostgres;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Commands;

/// <summary>
/// One generated blog shared by a test class: generating it is the slow part. Each engine's fixture says how to start
/// an app on it and how to read what the generator wrote.
/// </summary>
public abstract class GeneratedBlogFixture : IAsyncLifetime
{
    public const int Posts = 30;
    public const int Comments = 6_000;

    public BlogAppFactory App { get; private set; } = null!;

    public GenerateDataTests.Run Generation { get; private set; } = null!;

    /// <summary>The table of search rows: FTS5's posts_fts on SQLite, posts_search on PostgreSQL.</summary>
    public abstract string SearchTable { get; }

    /// <summary>The indexes and triggers, each with its definition and whether it is on, one row each in a stable order.</summary>
    public abstract string SchemaSql { get; }

    /// <summary>A new app on an empty database of its own, migrated as it starts.</summary>
    public abstract Task<BlogAppFactory> StartAppAsync();

    public abstract Task StopAppAsync(BlogAppFactory app);

    public abstract DbConnection OpenDatabase(BlogAppFactory app);

    public DbConnection OpenDatabase() => OpenDatabase(App);

    public async Task InitializeAsync()
    {
        App = await StartAppAsync();
        Generation = await GenerateDataTests.RunAsync(App, ["--posts", "30", "--comments", "6000"]);
    }

    public Task DisposeAsync() => StopAppAsync(App);
}

public sealed class GeneratedSqliteBlogFixture : GeneratedBlogFixture
{
    public override string SearchTable => "posts_fts";

    public override string SchemaSql => "SELECT type || ' ' || name || ' ' || sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY 1;";

    public override Task<BlogAppFactory> StartAppAsync()
    {
        var app = new BlogAppFactory();
        app.Settings["Blog:Database:Provider"] = "Sqlite";
        return Task.FromResult(app);
    }

    public override Task StopAppAsync(BlogAppFactory app)
    {
        app.Dispose();
        return Task.CompletedTask;
    }

    public override DbConnection OpenDatabase(BlogAppFactory app) => app.OpenDatabase();
}

public sealed class GeneratedPostgresBlogFixture : GeneratedBlogFixture
{
    public override string SearchTable => "posts_search";

    public override string SchemaSql => """
        SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()
        UNION ALL
        SELECT t.tgname || ' on ' || c.relname || ' ' || t.tgenabled::text
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
        ORDER BY 1;
        """;

    public override async Task<BlogAppFactory> StartAppAsync()
    {
        var app = new PostgresAppFactory();
        await app.InitializeAsync();
        return app;
    }

    public override Task StopAppAsync(BlogAppFactory app) => ((IAsyncLifetime)app).DisposeAsync();

    public override DbConnection OpenDatabase(BlogAppFactory app) => ((PostgresAppFactory)app).Database.DataSource.OpenConnection();
}

// SQLite by nature: the SQLite file's own loader; the same tests run on PostgreSQL below.
[Trait("Database", "Sqlite")]
public sealed class GenerateDataOnSqliteTests(GeneratedSqliteBlogFixture fixture) : GenerateDataTests(fixture), IClassFixture<GeneratedSqliteBlogFixture>
{
    [Theory]
    [InlineData("--posts", "2", "--comments", "6000")]
    [InlineData("--posts", "10", "--comments", "100")]
    [InlineData("--posts", "ten", "--comments", "6000")]
    [InlineData("--posts", "10", "--comments", "6000", "--verbose")]
    public async Task RefusesBadArgumentsWithUsage(params string[] args)
    {
        using var app = new BlogAppFactory();

        var run = await RunAsync(app, args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Usage: generate-data", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Output);
    }
}

[Trait("Database", "PostgreSQL")]
public sealed class GenerateDataOnPostgresTests(GeneratedPostgresBlogFixture fixture) : GenerateDataTests(fixture), IClassFixture<GeneratedPostgresBlogFixture>;

/// <summary>What generate-data promises the benchmark, whichever engine the blog runs on.</summary>
public abstract partial class GenerateDataTests(GeneratedBlogFixture fixture)
{
    public sealed record Run(int ExitCode, string Output, string Error)
    {
        /// <summary>The NAME='value' lines of the output, as the benchmark script's shell reads them.</summary>
        public Dictionary<string, string> Variables =>
            Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => Assignment().Match(line))
                .Where(match => match.Success)
                .ToDictionary(match => match.Groups[1].Value, match => match.Groups[2].Value);
    }

    public static async Task<Run> RunAsync(BlogAppFactory app, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CommandConsole(new StringReader(""), output, error, _ => null);
        var command = BlogCommands.Find(["generate-data"])!;

        var exitCode = await command.RunAsync(app.Services, args, console, CancellationToken.None);
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>What the test of the printed members posts into the shared blog, told apart from the generated comments.</summary>
    private const string PostedComment = "A comment from the benchmark's member.";

    [GeneratedRegex("^([A-Z][A-Z0-9_]*)='([^']*)'$")]
    private static partial Regex Assignment();

    [Fact]
    public void PrintsOnlyShellAssignmentsWithEveryVariableTheBenchmarkNeeds()
    {
        var lines = fixture.Generation.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal(0, fixture.Generation.ExitCode);
        Assert.All(lines, line => Assert.Matches(Assignment(), line));
        foreach (var name in (string[])["POST_50", "POST_5000", "LABEL", "SEARCH", "MEMBER_EMAIL", "WARMUP_MEMBER_EMAILS", "MEMBER_PASSWORD", "COMMENT_POST_PAGE", "COMMENT_POST_ID", "COMMENT_POST_URL"])
        {
            Assert.False(string.IsNullOrEmpty(fixture.Generation.Variables.GetValueOrDefault(name)), name);
        }
    }

    [Fact]
    public void FillsTheRequestedNumbersOfPostsCommentsLabelsAndSearchRows()
    {
        using var db = fixture.OpenDatabase();

        var posts = db.ExecuteScalar<long>("SELECT count(*) FROM posts WHERE kind = 'post' AND status = 'published';");
        var comments = db.ExecuteScalar<long>(
            "SELECT count(*) FROM comments WHERE status = 'approved' AND removed_at IS NULL AND body_markdown <> @Posted;", new { Posted = PostedComment });
        var searchRows = db.ExecuteScalar<long>($"SELECT count(*) FROM {fixture.SearchTable};");
        var labelsPerPost = db.Query<long>("SELECT count(*) FROM post_labels GROUP BY post_id;").ToList();
        var labels = db.ExecuteScalar<long>("SELECT count(*) FROM labels;");
        var shortestBody = db.ExecuteScalar<long>("SELECT min(length(body_markdown)) FROM posts;");

        Assert.Equal(GeneratedBlogFixture.Posts, posts);
        Assert.Equal(GeneratedBlogFixture.Comments, comments);
        Assert.Equal(GeneratedBlogFixture.Posts, searchRows);
        Assert.Equal(GeneratedBlogFixture.Posts, labelsPerPost.Count);
        Assert.All(labelsPerPost, count => Assert.InRange(count, 1, 4));
        Assert.InRange(labels, 24, 60);
        // About 600 words of Markdown is well over 3,000 characters.
        Assert.True(shortestBody > 3_000, $"shortest body: {shortestBody} characters");
    }

    [Fact]
    public void ExactlyOnePostHoldsFiftyCommentsAndExactlyOneHoldsFiveThousand()
    {
        using var db = fixture.OpenDatabase();

        var generated = new { Posted = PostedComment };
        var perPost = db.Query<long>("SELECT count(*) FROM comments WHERE body_markdown <> @Posted GROUP BY post_id;", generated).ToList();
        var postIdWith50 = db.ExecuteScalar<long>("SELECT post_id FROM comments WHERE body_markdown <> @Posted GROUP BY post_id HAVING count(*) = 50;", generated);

        Assert.Single(perPost, count => count == 50);
        Assert.Single(perPost, count => count == 5_000);
        Assert.EndsWith("-" + postIdWith50, fixture.Generation.Variables["POST_50"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryPrintedPageRendersForAnAnonymousReader()
    {
        using var client = new BlogClient(fixture.App);
        var variables = fixture.Generation.Variables;

        foreach (var name in (string[])["POST_50", "POST_5000", "LABEL", "SEARCH", "COMMENT_POST_PAGE"])
        {
            using var response = await client.GetAsync(variables[name]);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name} {variables[name]}: {(int)response.StatusCode}");
        }
        using var search = await client.GetAsync(variables["SEARCH"]);
        var searchText = await BlogClient.TextOfAsync(search);
        using var post = await client.GetAsync(variables["POST_50"]);
        var postText = await BlogClient.TextOfAsync(post);

        Assert.DoesNotContain("No posts", searchText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Reader Number", postText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePrintedListAddressesAreTheFirstTheDeepestAndPastTheEnd()
    {
        using var client = new BlogClient(fixture.App);
        var variables = fixture.Generation.Variables;
        var home = await client.GetPageAsync("/");

        var deepest = await client.GetPageAsync(variables["DEEPEST_PAGE"]);
        using var pastTheEnd = await client.GetAsync(variables["PAST_THE_END"]);
        var firsts = new List<string[]>();
        foreach (var url in variables["FIRST_PAGES"].Split(' '))
        {
            firsts.Add(Titles(await client.GetPageAsync(url)));
        }
        foreach (var url in variables["DEEP_PAGES"].Split(' '))
        {
            Assert.Equal(10, Titles(await client.GetPageAsync(url)).Length);
        }
        foreach (var url in variables["PAST_END_PAGES"].Split(' '))
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(10, Titles(deepest).Length);
        Assert.Null(deepest.QuerySelector(".pager-older"));
        Assert.Equal(HttpStatusCode.NotFound, pastTheEnd.StatusCode);
        Assert.All((string[])["FIRST_PAGES", "DEEP_PAGES", "PAST_END_PAGES"], name => Assert.Equal(20, variables[name].Split(' ').Distinct().Count()));
        Assert.All(firsts, titles => Assert.Equal(Titles(home), titles));
        Assert.Equal("3", variables["HOME_PAGES"]);
        Assert.True(long.Parse(variables["OLDEST_EPOCH"], System.Globalization.CultureInfo.InvariantCulture)
            < long.Parse(variables["NEWEST_EPOCH"], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string[] Titles(AngleSharp.Html.Dom.IHtmlDocument page) =>
        [.. page.QuerySelectorAll(".post-summary h2").Select(h => h.TextContent.Trim())];

    [Fact]
    public async Task EveryPrintedMemberCanPostACommentWhereTheBenchmarkPostsThem()
    {
        var variables = fixture.Generation.Variables;
        var warmupMembers = variables["WARMUP_MEMBER_EMAILS"].Split(' ');
        using var db = fixture.OpenDatabase();
        const string countSql = "SELECT count(*) FROM comments WHERE post_id = @PostId;";
        var postId = long.Parse(variables["COMMENT_POST_ID"], System.Globalization.CultureInfo.InvariantCulture);

        foreach (var member in warmupMembers.Prepend(variables["MEMBER_EMAIL"]))
        {
            using var client = new BlogClient(fixture.App);
            await client.SignInAsync(member, variables["MEMBER_PASSWORD"]);
            var before = db.ExecuteScalar<long>(countSql, new { PostId = postId });

            using var response = await client.PostAsync(variables["COMMENT_POST_URL"],
                new Dictionary<string, string> { ["PostId"] = variables["COMMENT_POST_ID"], ["Body"] = PostedComment },
                variables["COMMENT_POST_PAGE"]);

            Assert.True((int)response.StatusCode is >= 300 and < 400, $"{member}: status {(int)response.StatusCode}");
            Assert.Equal(before + 1, db.ExecuteScalar<long>(countSql, new { PostId = postId }));
        }
        // The benchmark's 40 s of comments, 5 s per member, need eight different members, or one would post twice
        // within the minute its comments are counted over.
        Assert.True(warmupMembers.Length >= 7, variables["WARMUP_MEMBER_EMAILS"]);
        Assert.DoesNotContain(variables["MEMBER_EMAIL"], warmupMembers);
        Assert.Equal(warmupMembers.Length, warmupMembers.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public async Task RefusesADatabaseThatAlreadyHasPostsUnlessForced()
    {
        var app = await fixture.StartAppAsync();
        try
        {
            var first = await RunAsync(app, ["--posts", "4", "--comments", "5050"]);

            var refused = await RunAsync(app, ["--posts", "4", "--comments", "5050"]);
            var forced = await RunAsync(app, ["--posts", "4", "--comments", "5050", "--force"]);
            using var db = fixture.OpenDatabase(app);

            Assert.Equal(0, first.ExitCode);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("already has 4 posts", refused.Error, StringComparison.Ordinal);
            Assert.Equal(0, forced.ExitCode);
            Assert.Equal(8, db.ExecuteScalar<long>("SELECT count(*) FROM posts;"));
            Assert.Equal(10_100, db.ExecuteScalar<long>("SELECT count(*) FROM comments;"));
            Assert.Equal(8, db.ExecuteScalar<long>($"SELECT count(*) FROM {fixture.SearchTable};"));
        }
        finally
        {
            await fixture.StopAppAsync(app);
        }
    }

    [Fact]
    public async Task LeavesTheIndexesAndTriggersAsTheMigrationsMadeThem()
    {
        var empty = await fixture.StartAppAsync();
        List<string> migrated;
        try
        {
            _ = empty.Services;
            using var fresh = fixture.OpenDatabase(empty);
            migrated = [.. fresh.Query<string>(fixture.SchemaSql)];
        }
        finally
        {
            await fixture.StopAppAsync(empty);
        }

        using var db = fixture.OpenDatabase();
        var generated = db.Query<string>(fixture.SchemaSql).ToList();

        Assert.NotEmpty(migrated);
        Assert.Equal(migrated, generated);
    }

    [Fact]
    public void CommentThreadsAndLabelCopiesAreConsistent()
    {
        using var db = fixture.OpenDatabase();

        var repliesOutsideTheirThread = db.ExecuteScalar<long>("""
            SELECT count(*) FROM comments c JOIN comments r ON r.id = c.root_id
            WHERE c.post_id <> r.post_id OR r.root_id IS NOT NULL OR c.parent_id <> c.root_id OR c.depth <> 1;
            """);
        var replies = db.ExecuteScalar<long>("SELECT count(*) FROM comments WHERE root_id IS NOT NULL;");
        var labelTimesOff = db.ExecuteScalar<long>("""
            SELECT count(*) FROM post_labels pl JOIN posts p ON p.id = pl.post_id
            WHERE pl.published_at IS NULL OR pl.published_at <> p.published_at;
            """);

        Assert.Equal(0, repliesOutsideTheirThread);
        Assert.InRange(replies, GeneratedBlogFixture.Comments / 10, GeneratedBlogFixture.Comments / 2);
        Assert.Equal(0, labelTimesOff);
    }
}
