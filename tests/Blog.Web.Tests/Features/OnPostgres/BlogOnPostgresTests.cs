using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Blog.Web.Data;
using Blog.Web.Features.Comments;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using CsCheck;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.OnPostgres;

/// <summary>
/// The whole blog on PostgreSQL: what a reader, a member and the owner do, each through the real app and its forms,
/// on a database the app migrated itself as it started.
/// </summary>
[Trait("Database", "PostgreSQL")]
public sealed partial class BlogOnPostgresTests
{
    [GeneratedRegex(@"/setup\?token=([A-Za-z0-9_-]+)")]
    private static partial Regex SetupLink();

    [Fact]
    public async Task TheOwnerPublishesAMemberCommentsTheOwnerApprovesAndReadersSeeItAll()
    {
        await using var app = await StartedAsync();
        using var owner = await SetUpOwnerAsync(app);
        var label = "Río" + Suffix();
        var title = "Harbour lights " + Suffix();

        var postId = await PublishAsync(owner, title, "The *ferry* left at dawn.", label);
        using var reader = new BlogClient(app);
        var home = await reader.GetPageAsync("/");
        var path = home.QuerySelectorAll("a").First(a => a.TextContent.Trim() == title).GetAttribute("href")!;
        var post = await reader.GetPageAsync(path);
        var labelPage = await reader.GetPageAsync("/search/label/" + Uri.EscapeDataString(label));
        var month = path[..9];
        var archive = await reader.GetPageAsync(month);
        var feed = await BlogClient.TextOfAsync(await reader.GetAsync("/feeds/posts/default"));
        var sitemap = await BlogClient.TextOfAsync(await reader.GetAsync("/sitemap-posts-1.xml"));

        Assert.Contains("ferry", post.QuerySelector("article")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(title, labelPage.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains(title, archive.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"{label} (1)", Squeezed(home.QuerySelector("aside")!.TextContent), StringComparison.Ordinal);
        Assert.Contains(title, feed, StringComparison.Ordinal);
        Assert.Contains(path, sitemap, StringComparison.Ordinal);

        using var held = await owner.SubmitFormAsync("/admin/moderation", ModerateAlways(), "form.moderation-settings");
        var (member, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        var commentId = await CommentTestData.CommentIdAsync(member, postId, "Lovely *light* here");
        var beforeApproval = await new BlogClient(app).GetPageAsync(path);
        var queue = await owner.GetPageAsync("/admin/moderation");
        using var approved = await CommentTestData.PostFormAsync(owner, "/admin/moderation/approve",
            new() { ["id"] = commentId.ToString(CultureInfo.InvariantCulture) });
        var afterApproval = await new BlogClient(app).GetPageAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, held.StatusCode);
        Assert.Null(beforeApproval.QuerySelector($"#c{commentId}"));
        Assert.NotNull(queue.QuerySelector($"#q{commentId}"));
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Contains("Lovely light here", afterApproval.QuerySelector($"#c{commentId}")!.TextContent, StringComparison.Ordinal);
        member.Dispose();
    }

    [Fact]
    public async Task AMembersCommentStillBeingSavedDoesNotHoldUpTheirNextOne()
    {
        // Every comment form carries the member's "email me replies" choice. Saving it unchanged must not lock their
        // row until the comment's commit, or each of their comments waits for the one before it to finish.
        await using var app = await StartedAsync();
        using var owner = await SetUpOwnerAsync(app);
        var postId = await PublishAsync(owner, "Busy thread " + Suffix(), "Talk here.", "");
        var member = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        var store = app.Services.GetRequiredService<CommentStore>();
        NewComment Comment(string text) => new()
        {
            PostId = postId, AuthorId = member.Id, BodyMarkdown = text, BodyHtml = $"<p>{text}</p>", Status = "approved", CreatedAt = DateTime.UtcNow,
        };
        static Task NoMail(DatabaseWrite write, long commentId, CancellationToken ct) => Task.CompletedTask;
        bool RepliesWanted()
        {
            using var connection = app.OpenDatabase();
            return connection.ExecuteScalar<bool>("SELECT email_reply_notices FROM member_preferences WHERE member_id = @Id", new { Id = member.Id });
        }

        await store.InsertAsync(Comment("First"), emailReplies: true, NoMail, default);
        var wantedAfterFirst = RepliesWanted();
        var secondIsBeingSaved = new TaskCompletionSource();
        var finishSecond = new TaskCompletionSource();
        var second = store.InsertAsync(Comment("Second"), emailReplies: true, async (_, _, _) =>
        {
            secondIsBeingSaved.SetResult();
            await finishSecond.Task;
        }, default);
        await secondIsBeingSaved.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var third = store.InsertAsync(Comment("Third"), emailReplies: true, NoMail, default);
        var thirdSavedFirst = await Task.WhenAny(third, Task.Delay(TimeSpan.FromSeconds(10))) == third;
        finishSecond.SetResult();
        await Task.WhenAll(second, third);
        await store.InsertAsync(Comment("Fourth"), emailReplies: false, NoMail, default);

        Assert.True(wantedAfterFirst);
        Assert.True(thirdSavedFirst, "The third comment waited for the second one's transaction to end.");
        Assert.False(RepliesWanted());
        owner.Dispose();
    }

    [Fact]
    public async Task TheBlogsConnectionsKeepAStatementTheyRunAgainAndAgainPrepared()
    {
        await using var app = await StartedAsync();
        var database = Assert.IsType<PostgresDatabase>(app.Services.GetRequiredService<BlogDatabase>());
        await using var connection = await database.DataSource.OpenConnectionAsync();

        for (var i = 0; i < 10; i++)
        {
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM posts WHERE id > @Id", new { Id = i });
        }
        var prepared = await connection.QueryAsync<string>("SELECT statement FROM pg_prepared_statements");

        Assert.Contains(prepared, statement => statement.Contains("FROM posts WHERE id >", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchFindsAccentedWordsWithoutTheirAccentsAndPagesNewestFirst()
    {
        await using var app = await StartedAsync();
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        var word = "tidepool" + Suffix();
        var ids = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await PublishAsync(owner, $"Entry {i}", $"A {word} note, number {i}.", "notes"));
        }
        await PublishAsync(owner, "Crème brûlée", "We ate a <crème> brûlée by the café.", "Cuisine");
        await PublishAsync(owner, "Unrelated", $"Nothing about {word}star here.", "notes");
        using var reader = new BlogClient(app);

        var accented = await reader.GetPageAsync("/search?q=" + Uri.EscapeDataString("CREME cafe"));
        var unaccented = await reader.GetPageAsync("/search?q=" + Uri.EscapeDataString("brûlée Crème"));
        var first = await reader.GetPageAsync("/search?q=" + word);
        var moreUrl = first.QuerySelector(".pager-older")!.GetAttribute("href")!;
        var second = await reader.GetPageAsync(moreUrl);
        var starred = await reader.GetPageAsync("/search?q=" + Uri.EscapeDataString(word + "*"));

        Assert.Equal(["Crème brûlée"], Titles(accented));
        Assert.Equal(["Crème brûlée"], Titles(unaccented));
        Assert.Equal("crème", accented.QuerySelector(".snippet mark")!.TextContent);
        Assert.Contains("<crème>", accented.QuerySelector(".snippet")!.TextContent, StringComparison.Ordinal);
        Assert.Equal([.. Enumerable.Range(2, 10).Reverse().Select(i => $"Entry {i}")], Titles(first));
        Assert.Equal($"/search?q={word}&before={ids[2]}&max-results=10", moreUrl);
        Assert.Equal(["Entry 1", "Entry 0"], Titles(second));
        Assert.Equal($"/search?q={word}", second.QuerySelector(".pager-newer")!.GetAttribute("href"));
        // As on SQLite, a star is no operator: the word is searched whole, so "…star" is not found by its prefix.
        Assert.Equal(Titles(first), Titles(starred));
    }

    [Fact]
    public async Task HostileSearchesGiveAPageNeverAnError()
    {
        await using var app = await StartedAsync();
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        await PublishAsync(owner, "Some text post", "word naive cafe text, AND OR NOT, <b>tags</b> & 'quotes' \\ :*", "notes");
        using var reader = new BlogClient(app);
        var inputs = SearchCorpus();

        foreach (var input in inputs)
        {
            using var response = await reader.GetAsync("/search?q=" + Uri.EscapeDataString(input));

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} for {input}");
        }
        Assert.True(inputs.Count >= 20);
    }

    [Fact]
    public async Task TheStatisticsPageShowsViewsAndCommentsCountedOnPostgres()
    {
        await using var app = await StartedAsync();
        var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
        var title = "Counted " + Suffix();
        var postId = await PublishAsync(owner, title, "Read me.", "notes");
        var (member, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
        await CommentTestData.CommentIdAsync(member, postId, "first");
        await CommentTestData.CommentIdAsync(member, postId, "second");
        using var reader = new BlogClient(app);
        reader.Http.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36");
        var path = (await reader.GetPageAsync("/")).QuerySelectorAll("a").First(a => a.TextContent.Trim() == title).GetAttribute("href")!;
        using (await reader.GetAsync(path))
        {
        }
        await app.Services.GetRequiredService<Blog.Web.Features.Stats.StatsWriter>().WriteAsync(CancellationToken.None);

        using var response = await owner.GetAsync("/admin/stats");
        var page = BlogClient.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(title, page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("2 comments", Squeezed(page.Body.TextContent), StringComparison.Ordinal);
        member.Dispose();
    }

    [Fact]
    public async Task TwoInstancesStartingTogetherOnAnEmptyDatabaseMigrateItOnce()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var first = new PostgresAppFactory(database);
        await using var second = new PostgresAppFactory(database);

        await Task.WhenAll(Task.Run(() => first.CreateClient().Dispose()), Task.Run(() => second.CreateClient().Dispose()));
        using var firstHealth = await first.CreateClient().GetAsync("/healthz");
        using var secondHealth = await second.CreateClient().GetAsync("/healthz");
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var versions = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        var applied = first.Logs.Lines.Concat(second.Logs.Lines).Count(line => line.Contains("Applied migration", StringComparison.Ordinal));

        Assert.Equal(PostgresTestDatabase.Migrations.Select(m => m.Version), versions);
        Assert.Equal(PostgresTestDatabase.Migrations.Count, applied);
        Assert.Equal("Healthy", await firstHealth.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", await secondHealth.Content.ReadAsStringAsync());
        Assert.IsType<PostgresMigrator>(first.Services.GetRequiredService<SchemaMigrator>());
    }

    [Fact]
    public async Task AFailingMigrationStopsTheStartWithOneLineNamingTheFile()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var app = new PostgresAppFactory(database);
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            // A table the first migration creates, there already: the database is not an empty one nor Quire's.
            await connection.ExecuteAsync("CREATE TABLE site_settings (id integer);");
        }

        Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var critical = Assert.Single(app.Logs.Lines, line => line.StartsWith("Critical", StringComparison.Ordinal));
        Assert.Contains("Database migration 0001_create_site_settings.sql failed and was rolled back", critical, StringComparison.Ordinal);
        Assert.Contains("already exists", critical, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("restore")]
    public async Task SqliteOnlyCommandsSaySoOnPostgres(string name)
    {
        await using var app = await StartedAsync();
        var error = new StringWriter();
        var console = new Blog.Web.Commands.CommandConsole(new StringReader(""), new StringWriter(), error, _ => null);

        var exit = await Blog.Web.Commands.BlogCommands.Find([name])!.RunAsync(app.Services, ["x"], console, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.StartsWith($"{name} works on a SQLite database only, and this blog runs on PostgreSQL", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The SQLite search tests' hostile inputs, and as many again from the generator they use.</summary>
    private static List<string> SearchCorpus()
    {
        IEnumerable<object[]> rows = Reading.SearchTests.NastyInputs();
        var nasty = rows.Select(row => (string)row[0]).ToList();
        var generated = Check.Single(Content.HostileTextGen.Text(24).Array[nasty.Count]);
        return [.. nasty, .. generated.Where(text => !text.Contains('\0', StringComparison.Ordinal)),
            string.Join(" & ", Enumerable.Repeat("!(", 400)), string.Join(" <-> ", Enumerable.Repeat("a", 500)), "a:* | b:A & !c"];
    }

    private static async Task<PostgresAppFactory> StartedAsync()
    {
        var app = new PostgresAppFactory();
        await app.InitializeAsync();
        return app;
    }

    private static async Task<BlogClient> SetUpOwnerAsync(PostgresAppFactory app)
    {
        _ = app.Services;
        var line = app.Logs.WaitFor(m => SetupLink().IsMatch(m))
            ?? throw new InvalidOperationException("No setup link was logged:\n" + string.Join("\n", app.Logs.Lines));
        var client = new BlogClient(app);
        using var response = await client.SubmitFormAsync("/setup?token=" + SetupLink().Match(line).Groups[1].Value, new Dictionary<string, string>
        {
            ["DisplayName"] = "Ada Owner",
            ["Email"] = "owner@example.test",
            ["Password"] = BlogClient.Password,
            ["ConfirmPassword"] = BlogClient.Password,
        });
        Assert.Contains("Your blog is ready", await BlogClient.TextOfAsync(response), StringComparison.Ordinal);
        return client;
    }

    private static async Task<long> PublishAsync(BlogClient owner, string title, string body, string labels)
    {
        using var response = await owner.SubmitFormAsync("/admin/posts/new", new Dictionary<string, string>
        {
            ["Title"] = title, ["Body"] = body, ["Labels"] = labels, ["AllowComments"] = "true", ["Command"] = "publish",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await BlogClient.TextOfAsync(response));
        return long.Parse(response.Headers.Location!.OriginalString.Split('/')[^2], CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, string> ModerateAlways() => new()
    {
        ["Moderation"] = "Always",
        ["ModerateAfterDays"] = "7",
        ["TrustedAfterApproved"] = "0",
        ["HoldLinksAtLeast"] = "0",
        ["BlockedWords"] = "",
        ["CloseAfterDays"] = "0",
    };

    private static List<string> Titles(AngleSharp.Html.Dom.IHtmlDocument page) =>
        [.. page.QuerySelectorAll(".search-result h3").Select(h => h.TextContent)];

    private static string Squeezed(string text) => Regex.Replace(text, @"\s+", " ");

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];
}
