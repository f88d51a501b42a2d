using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Data;

/// <summary>
/// What the hot pages cost the database, measured on the real app: every SQL statement a page or a comment POST
/// runs is recorded (<see cref="SqliteConnectionFactory.StatementListener"/>), then its plan is checked with
/// EXPLAIN QUERY PLAN against the migrated schema, and the statements per page are counted. The rules stand
/// for "the cost does not grow with the blog": no table scan, no count that reads rows, no sort of every
/// candidate row to return one page.
/// </summary>
public sealed partial class ReadingCostTests(CommentAppFactory app) : IClassFixture<CommentAppFactory>, IAsyncLifetime
{
    private const string Label = "Cost";
    private const string SearchWord = "lighthouse";

    private static readonly string[] ReadingTables = ["posts", "comments", "labels", "post_labels"];
    private static readonly string[] QueryKeywords = ["SELECT", "WITH", "INSERT", "UPDATE", "DELETE"];

    private long _busyPostId;
    private string _busyPostPath = "";
    private string _pagePath = "";
    private DateTime _published;

    public async Task InitializeAsync()
    {
        _published = app.Now.AddDays(-3);
        for (var i = 0; i < 30; i++)
        {
            PostSeeder.Insert(app, new SeedPost
            {
                Title = $"Lighthouse notes {i}",
                BodyHtml = $"<p>The {SearchWord} keeper writes entry {i}.</p>",
                PublishedAt = _published.AddHours(-i),
                Labels = i % 2 == 0 ? [Label, "Sea"] : ["Sea"],
            });
        }
        PostSeeder.Insert(app, new SeedPost { Title = "Scheduled", PublishedAt = app.Now.AddDays(2), Labels = [Label] });
        PostSeeder.Insert(app, new SeedPost { Title = "A draft", Status = "draft", PublishedAt = null, Labels = [Label] });
        var page = PostSeeder.Insert(app, new SeedPost { Kind = "page", Title = "About" });
        _pagePath = PostUrls.PagePath(page.Slug);

        var (busyId, busySlug) = PostSeeder.Insert(app, new SeedPost { Title = "The busy post", PublishedAt = _published.AddMinutes(5), Labels = [Label] });
        _busyPostId = busyId;
        _busyPostPath = PostUrls.PostPath(_published.AddMinutes(5), busySlug, TimeZoneInfo.Utc);
        var writer = await BlogClient.CreateAccountAsync(app, MemberRole.Member);
        SeedComments(busyId, writer.Id, 50);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EveryQueryOfTheHotPagesUsesAnIndex()
    {
        var statements = await RecordAsync(async () =>
        {
            using var anonymous = new BlogClient(app);
            foreach (var url in ReaderUrls())
            {
                using var response = await anonymous.GetAsync(url);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}");
            }
            var (member, _) = await BlogClient.SignedInAsync(app, MemberRole.Member);
            using (member)
            {
                var id = await CommentTestData.CommentIdAsync(member, _busyPostId, "A first thought.", emailReplies: true);
                await CommentTestData.CommentIdAsync(member, _busyPostId, "And a reply to it.", parentId: id);
                using var located = await member.GetAsync($"/comments/{id}");
                using var page = await member.GetAsync(_busyPostPath);
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }
            var (owner, _) = await BlogClient.SignedInAsync(app, MemberRole.Owner);
            using (owner)
            {
                using var page = await owner.GetAsync(_busyPostPath);
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }
        });

        using var connection = app.OpenDatabase();
        var problems = new List<string>();
        foreach (var sql in statements.Distinct(StringComparer.Ordinal).Where(IsQuery))
        {
            var plan = connection.Query<PlanRow>("EXPLAIN QUERY PLAN " + sql).Select(row => row.Detail).ToList();
            problems.AddRange(Problems(sql, plan).Select(problem => $"{problem}\n  in: {OneLine(sql)}\n  plan: {string.Join(" | ", plan)}"));
        }

        Assert.True(statements.Count > 20, "The pages ran hardly any SQL: is the statement listener wired up?");
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    [Fact]
    public async Task HomePageRunsAFixedHandfulOfQueries()
    {
        using var client = new BlogClient(app);
        using (await client.GetAsync("/"))
        {
            // Warm: the sidebar's counts are computed once, then reused.
        }

        var statements = await RecordAsync(async () =>
        {
            using var response = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });

        // Posts, their labels, their comment counts (one grouped count for the whole page, not one per post), the
        // pages for the navigation and the sidebar's version check (once per box). The comment counts raised it from 5.
        Assert.True(statements.Count <= 6, $"The home page ran {statements.Count} statements:\n{string.Join("\n", statements.Select(OneLine))}");
    }

    [Fact]
    public async Task PostWithFiftyCommentsRunsAFixedHandfulOfQueries()
    {
        using var client = new BlogClient(app);
        using (await client.GetAsync(_busyPostPath))
        {
        }

        var statements = await RecordAsync(async () =>
        {
            using var response = await client.GetAsync(_busyPostPath);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("The fiftieth comment", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        });

        // Not one per comment: the post, its labels, the navigation, the sidebar checks (2), the comment section's
        // post, its two counts, the page of roots and their threads.
        Assert.True(statements.Count <= 11, $"The post page ran {statements.Count} statements:\n{string.Join("\n", statements.Select(OneLine))}");
    }

    private IEnumerable<string> ReaderUrls()
    {
        var year = _published.Year.ToString("0000", CultureInfo.InvariantCulture);
        var month = _published.Month.ToString("00", CultureInfo.InvariantCulture);
        return
        [
            "/", "/?page=2", _busyPostPath, _busyPostPath + "?commentPage=2", _busyPostPath + "?commentOrder=newest", _pagePath,
            PostUrls.LabelPath(Label), PostUrls.LabelPath(Label) + "?page=2", $"/{year}/", $"/{year}/{month}/",
            "/search?q=" + SearchWord, "/search?q=" + SearchWord + "&page=2", "/feeds/posts/default", "/feeds/posts/default/-/" + Label,
            "/feeds/comments/default", $"/feeds/{_busyPostId}/comments/default",
        ];
    }

    private async Task<List<string>> RecordAsync(Func<Task> act)
    {
        var db = app.Services.GetRequiredService<SqliteConnectionFactory>();
        var seen = new ConcurrentQueue<string>();
        db.StatementListener = seen.Enqueue;
        try
        {
            await act();
        }
        finally
        {
            db.StatementListener = null;
        }
        return [.. seen];
    }

    private static IEnumerable<string> Problems(string sql, List<string> plan)
    {
        var tables = TablesByAlias(sql);
        var isCount = sql.Contains("COUNT(", StringComparison.OrdinalIgnoreCase);
        var pagesWithLimit = sql.Contains("LIMIT", StringComparison.OrdinalIgnoreCase);
        // Ranking search results needs every match (SQLite's FTS5 ranks them all); the page is then cut from them.
        var ranksMatches = sql.Contains("bm25(", StringComparison.Ordinal);
        foreach (var line in plan)
        {
            var access = AccessPattern().Match(line);
            if (access.Success && tables.TryGetValue(access.Groups["name"].Value, out var table) && ReadingTables.Contains(table))
            {
                var covering = line.Contains("COVERING INDEX", StringComparison.Ordinal);
                var byKey = line.Contains("PRIMARY KEY", StringComparison.Ordinal);
                var scan = access.Groups["op"].Value == "SCAN";
                // A scan in index order is fine when the query stops after LIMIT rows (nothing is sorted afterwards).
                var orderedWalk = scan && line.Contains(" USING INDEX ", StringComparison.Ordinal) && pagesWithLimit;
                if (scan && !covering && !orderedWalk)
                {
                    yield return $"Reads a whole table ({table}): {line}";
                }
                if (isCount && !covering && !byKey)
                {
                    yield return $"Counts by reading rows of {table} instead of an index: {line}";
                }
            }
            if (pagesWithLimit && !ranksMatches && line.StartsWith("USE TEMP B-TREE FOR", StringComparison.Ordinal) && line.Contains("ORDER BY", StringComparison.Ordinal))
            {
                yield return $"Sorts every candidate row to return one page: {line}";
            }
        }
    }

    /// <summary>Which table each name in a plan line stands for: "FROM posts p" makes both p and posts mean posts.</summary>
    private static Dictionary<string, string> TablesByAlias(string sql)
    {
        var tables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in TableReferencePattern().Matches(sql))
        {
            var table = match.Groups["table"].Value;
            tables.TryAdd(table, table);
            if (match.Groups["alias"].Success)
            {
                tables[match.Groups["alias"].Value] = table;
            }
        }
        return tables;
    }

    private static bool IsQuery(string sql)
    {
        var start = sql.TrimStart();
        return QueryKeywords.Any(k => start.StartsWith(k, StringComparison.OrdinalIgnoreCase));
    }

    private static string OneLine(string sql) => string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private void SeedComments(long postId, string authorId, int count)
    {
        using var connection = app.OpenDatabase();
        using var transaction = connection.BeginTransaction();
        long? root = null;
        for (var i = 1; i <= count; i++)
        {
            var body = i == count ? "The fiftieth comment" : $"Comment number {i}";
            var reply = i % 4 == 0 && root is not null;
            var id = connection.ExecuteScalar<long>("""
                INSERT INTO comments (post_id, parent_id, root_id, depth, author_id, body_markdown, body_html, status, created_at)
                VALUES (@PostId, @Parent, @Parent, @Depth, @AuthorId, @Body, @Html, 'approved', @CreatedAt)
                RETURNING id
                """, new
            {
                PostId = postId, Parent = reply ? root : null, Depth = reply ? 1 : 0, AuthorId = authorId, Body = body,
                Html = $"<p>{body}</p>", CreatedAt = CommentTestData.Format(app.Now.AddHours(-60 + i)),
            }, transaction);
            if (!reply)
            {
                root = id;
            }
        }
        transaction.Commit();
    }

    private sealed record PlanRow
    {
        public string Detail { get; init; } = "";
    }

    [GeneratedRegex(@"\b(?:FROM|JOIN|UPDATE|INTO)\s+(?<table>posts|comments|labels|post_labels)\b(?:\s+(?:AS\s+)?(?!ON\b|WHERE\b|JOIN\b|LEFT\b|CROSS\b|INDEXED\b|SET\b|ORDER\b|GROUP\b|LIMIT\b)(?<alias>[A-Za-z_][A-Za-z0-9_]*))?", RegexOptions.IgnoreCase)]
    private static partial Regex TableReferencePattern();

    [GeneratedRegex(@"^(?<op>SCAN|SEARCH)\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex AccessPattern();
}
