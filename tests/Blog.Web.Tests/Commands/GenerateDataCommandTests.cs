using System.Net;
using System.Text.RegularExpressions;
using Blog.Web.Commands;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Commands;

/// <summary>One generated blog shared by the tests below: generating it is the slow part.</summary>
public sealed class GeneratedBlogFixture : IAsyncLifetime, IDisposable
{
    public const int Posts = 30;
    public const int Comments = 6_000;

    public BlogAppFactory App { get; } = new();

    public GenerateDataCommandTests.Run Generation { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Generation = await GenerateDataCommandTests.RunAsync(App, ["--posts", "30", "--comments", "6000"]);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => App.Dispose();
}

// SQLite by nature: generate-data writes a SQLite file.
[Trait("Database", "Sqlite")]
public sealed partial class GenerateDataCommandTests(GeneratedBlogFixture fixture) : IClassFixture<GeneratedBlogFixture>
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
        using var db = fixture.App.OpenDatabase();

        var posts = db.ExecuteScalar<long>("SELECT count(*) FROM posts WHERE kind = 'post' AND status = 'published';");
        var comments = db.ExecuteScalar<long>("SELECT count(*) FROM comments WHERE status = 'approved' AND removed_at IS NULL;");
        var searchRows = db.ExecuteScalar<long>("SELECT count(*) FROM posts_fts;");
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
        using var db = fixture.App.OpenDatabase();

        var perPost = db.Query<long>("SELECT count(*) FROM comments GROUP BY post_id;").ToList();
        var postIdWith50 = db.ExecuteScalar<long>("SELECT post_id FROM comments GROUP BY post_id HAVING count(*) = 50;");

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
        using var db = fixture.App.OpenDatabase();
        const string countSql = "SELECT count(*) FROM comments WHERE post_id = @PostId;";
        var postId = long.Parse(variables["COMMENT_POST_ID"], System.Globalization.CultureInfo.InvariantCulture);

        foreach (var member in warmupMembers.Prepend(variables["MEMBER_EMAIL"]))
        {
            using var client = new BlogClient(fixture.App);
            await client.SignInAsync(member, variables["MEMBER_PASSWORD"]);
            var before = db.ExecuteScalar<long>(countSql, new { PostId = postId });

            using var response = await client.PostAsync(variables["COMMENT_POST_URL"],
                new Dictionary<string, string> { ["PostId"] = variables["COMMENT_POST_ID"], ["Body"] = "A comment from the benchmark's member." },
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
        using var app = new BlogAppFactory();
        var first = await RunAsync(app, ["--posts", "4", "--comments", "5050"]);

        var refused = await RunAsync(app, ["--posts", "4", "--comments", "5050"]);
        var forced = await RunAsync(app, ["--posts", "4", "--comments", "5050", "--force"]);
        using var db = app.OpenDatabase();

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already has 4 posts", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(8, db.ExecuteScalar<long>("SELECT count(*) FROM posts;"));
        Assert.Equal(10_100, db.ExecuteScalar<long>("SELECT count(*) FROM comments;"));
    }

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
