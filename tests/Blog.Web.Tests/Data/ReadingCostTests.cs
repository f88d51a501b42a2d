using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Data;

/// <summary>
/// What the hot pages cost the database, measured on the real app: every SQL statement a page or a comment POST
/// runs is recorded (<see cref="SqliteDatabase.StatementListener"/>), then its plan is checked with
/// EXPLAIN QUERY PLAN against the migrated schema, and the statements per page are counted. The rules stand
/// for "the cost does not grow with the blog": no table scan, no count that reads rows, no sort of every
/// candidate row to return one page, no page found by skipping the rows before it (OFFSET).
/// </summary>
/// <remarks>
/// On a blog of 1,000 posts (<see cref="LargeBlog"/>) the work SQLite does for a request is measured too: each
/// recorded statement is run again and its virtual-machine steps counted (SQLITE_STMTSTATUS_VM_STEP), a count
/// that follows the rows read and does not depend on the machine's speed. A list's deepest page, an address past
/// its end and every sitemap file must cost about what the first page or file does.
/// </remarks>
// SQLite by nature: Measures SQLite's query plans and virtual-machine steps.
[Trait("Database", "Sqlite")]
public sealed partial class ReadingCostTests(CommentAppFactory app, ReadingCostTests.LargeBlog large)
    : IClassFixture<CommentAppFactory>, IClassFixture<ReadingCostTests.LargeBlog>, IAsyncLifetime
{
    /// <summary>
    /// 1,000 posts two days apart (ten a page: a hundred pages), all labelled "Tide" and with the word "beacon",
    /// every third also "Harbour", and sitemap files of 50 URLs.
    /// </summary>
    public sealed class LargeBlog : BlogAppFactory, IAsyncLifetime
    {
        public const int PostCount = 1_000;
        public const int UrlsPerSitemapFile = 50;
        public const string Word = "beacon";

        /// <summary>In twelve posts only.</summary>
        public const string RareWord = "lantern";

        public const int BusyPostComments = 3_000;

        public LargeBlog()
        {
            Settings["Blog:Sitemap:UrlsPerFile"] = UrlsPerSitemapFile.ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>Publication times, newest first.</summary>
        public IReadOnlyList<DateTime> Published { get; private set; } = [];

        /// <summary>Post ids, newest first.</summary>
        public IReadOnlyList<long> Ids { get; private set; } = [];

        /// <summary>A post with <see cref="BusyPostComments"/> comments: some 45 pages of threads.</summary>
        public string BusyPostPath { get; private set; } = "";

        public async Task InitializeAsync()
        {
            var newest = DateTime.UtcNow.AddDays(-1);
            Published = [.. Enumerable.Range(0, PostCount).Select(i => newest.AddDays(-2 * i))];
            // Oldest first, so ids grow with time as they do on a real blog.
            var posts = Published.Reverse().Select((published, i) => new SeedPost
            {
                Title = $"Harbour log {i}",
                BodyHtml = $"<p>The {Word} turned {i} times tonight{(i % 90 == 0 ? $", by {RareWord} light" : "")}.</p>",
                PublishedAt = published,
                Labels = i % 3 == 0 ? ["Tide", "Harbour"] : ["Tide"],
            });
            Ids = [.. PostSeeder.InsertMany(this, posts).Select(post => post.Id).Reverse()];
            PostSeeder.Insert(this, new SeedPost { Kind = "page", Title = "About the harbour" });
            var (busyId, busySlug) = PostSeeder.Insert(this, new SeedPost { Title = "The busiest post", PublishedAt = newest.AddMinutes(-5) });
            BusyPostPath = PostUrls.PostPath(newest.AddMinutes(-5), busySlug, TimeZoneInfo.Utc);
            SeedComments(this, busyId, (await BlogClient.CreateAccountAsync(this, MemberRole.Member)).Id, BusyPostComments, newest);
            // The sidebar's counts are computed on the first page after a change, then reused: not part of any page's cost.
            using var client = CreateClient();
            using var _ = await client.GetAsync("/");
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

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
        SeedComments(app, busyId, writer.Id, 50, app.Now);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EveryQueryOfTheHotPagesUsesAnIndex()
    {
        var statements = await StatementRecorder.RecordAsync(app, async () =>
        {
            using var anonymous = new BlogClient(app);
            foreach (var (url, status) in await ReaderUrlsAsync(anonymous))
            {
                using var response = await anonymous.GetAsync(url);
                Assert.True(response.StatusCode == status, $"{url} answered {(int)response.StatusCode}");
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

        var statements = await StatementRecorder.RecordAsync(app, async () =>
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

        var statements = await StatementRecorder.RecordAsync(app, async () =>
        {
            using var response = await client.GetAsync(_busyPostPath);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("The fiftieth comment", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        });

        // Not one per comment: the post, its labels, the navigation, the sidebar checks (2), the comment section's
        // post, its two counts, the page of roots and their threads.
        Assert.True(statements.Count <= 11, $"The post page ran {statements.Count} statements:\n{string.Join("\n", statements.Select(OneLine))}");
    }

    /// <summary>Every kind of reader page, with the answer each should get: the older pages are found by following links.</summary>
    private async Task<IReadOnlyList<(string Url, HttpStatusCode Status)>> ReaderUrlsAsync(BlogClient reader)
    {
        var year = _published.Year.ToString("0000", CultureInfo.InvariantCulture);
        var month = _published.Month.ToString("00", CultureInfo.InvariantCulture);
        var label = PostUrls.LabelPath(Label);
        var search = "/search?q=" + SearchWord;
        var sitemap = await SitemapReader.FilesAsync(reader);
        (string, HttpStatusCode)[] urls =
        [
            ("/", HttpStatusCode.OK), (await OlderAsync(reader, "/"), HttpStatusCode.OK), ("/?page=2", HttpStatusCode.MovedPermanently),
            ("/?page=900", HttpStatusCode.NotFound), ("/search?updated-max=2001-01-01T00:00:00Z", HttpStatusCode.NotFound),
            (_busyPostPath, HttpStatusCode.OK), (_busyPostPath + "?commentPage=2", HttpStatusCode.OK),
            (_busyPostPath + "?commentPage=last", HttpStatusCode.OK), (_busyPostPath + "?commentOrder=newest", HttpStatusCode.OK),
            (_pagePath, HttpStatusCode.OK), (label, HttpStatusCode.OK), (await OlderAsync(reader, label), HttpStatusCode.OK),
            ($"/{year}/", HttpStatusCode.OK), ($"/{year}/{month}/", HttpStatusCode.OK), (await OlderAsync(reader, $"/{year}/"), HttpStatusCode.OK),
            (search, HttpStatusCode.OK), (await OlderAsync(reader, search), HttpStatusCode.OK),
            ("/feeds/posts/default", HttpStatusCode.OK), ("/feeds/posts/default/-/" + Label, HttpStatusCode.OK),
            ("/feeds/comments/default", HttpStatusCode.OK), ($"/feeds/{_busyPostId}/comments/default", HttpStatusCode.OK),
            ("/sitemap.xml", HttpStatusCode.OK), ("/no/such/page", HttpStatusCode.NotFound),
        ];
        return [.. urls, .. sitemap.Select(file => (file, HttpStatusCode.OK))];
    }

    private static async Task<string> OlderAsync(BlogClient reader, string url)
    {
        var page = await reader.GetPageAsync(url);
        return page.QuerySelector(".pager-older")?.GetAttribute("href") ?? throw new InvalidOperationException($"{url} has no older page");
    }

    [Fact]
    public async Task TheDeepestPageOfEveryListCostsWhatItsFirstPageDoesAndAnAddressPastTheEndLess()
    {
        var oldestFirst = large.Published.Reverse().ToList();
        // A page's worth of posts before the 11th oldest: the ten oldest, the deepest page "Older posts" leads to.
        string Deepest(string path) => ListPaging.OlderThan(path, oldestFirst[10], 10);
        string PastTheEnd(string path) => ListPaging.OlderThan(path, oldestFirst[0], 10);
        var year = large.Published[LargeBlog.PostCount / 2].Year;
        var inYear = oldestFirst.Where(published => published.Year == year).ToList();
        var lowestIds = large.Ids.Reverse().ToList();
        (string List, string First, string Deepest, string PastTheEnd)[] lists =
        [
            ("home", "/", Deepest("/search"), PastTheEnd("/search")),
            ("home, numbered", "/", Deepest("/search"), "/?page=102"),
            ("label", "/search/label/Tide", Deepest("/search/label/Tide"), PastTheEnd("/search/label/Tide")),
            ("year", $"/{year}/", ListPaging.OlderThan($"/{year}/", inYear[10], 10), ListPaging.OlderThan($"/{year}/", inYear[0], 10)),
            ("search", $"/search?q={LargeBlog.Word}", $"/search?q={LargeBlog.Word}&before={lowestIds[10]}&max-results=10",
                $"/search?q={LargeBlog.Word}&before={lowestIds[0]}"),
        ];
        using var reader = new BlogClient(large);

        var problems = new List<string>();
        foreach (var (list, firstUrl, deepestUrl, pastTheEndUrl) in lists)
        {
            var first = await CostAsync(large, reader, firstUrl);
            var last = await CostAsync(large, reader, deepestUrl);
            var past = await CostAsync(large, reader, pastTheEndUrl);
            var lastPage = BlogClient.Parse(last.Body);

            Assert.True(first.Status == HttpStatusCode.OK && last.Status == HttpStatusCode.OK, $"{list}: {firstUrl} or {deepestUrl} failed");
            Assert.True(lastPage.QuerySelectorAll(".post-summary, .search-result").Length == 10 && lastPage.QuerySelector(".pager-older") is null,
                $"{list}: {deepestUrl} is not the last page of ten");
            Assert.Equal(HttpStatusCode.NotFound, past.Status);
            if (last.Steps > 2 * first.Steps)
            {
                problems.Add($"{list}: the deepest page took {last.Steps} steps, the first {first.Steps}");
            }
            if (past.Steps > first.Steps)
            {
                problems.Add($"{list}: past the end took {past.Steps} steps, the first page {first.Steps}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task TheLastPageOfThreadsOfABusyPostCostsWhatItsFirstDoes()
    {
        using var reader = new BlogClient(large);

        var first = await CostAsync(large, reader, large.BusyPostPath);
        var last = await CostAsync(large, reader, large.BusyPostPath + "?commentPage=last");
        var beyond = await CostAsync(large, reader, large.BusyPostPath + "?commentPage=99999&commentOrder=newest");

        Assert.Contains("Page 1 of 45", BlogClient.Parse(first.Body).QuerySelector(".comment-pages")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Page 45 of 45", BlogClient.Parse(last.Body).QuerySelector(".comment-pages")!.TextContent, StringComparison.Ordinal);
        Assert.True(last.Steps <= first.Steps * 5 / 4 && beyond.Steps <= first.Steps * 5 / 4,
            $"The first page of threads took {first.Steps} steps, the last {last.Steps}, one past the end {beyond.Steps}");
    }

    [Fact]
    public async Task ASearchForAWordInEveryPostCostsWhatOneForARareWordDoes()
    {
        using var reader = new BlogClient(large);

        var everywhere = await CostAsync(large, reader, $"/search?q={LargeBlog.Word}");
        var rare = await CostAsync(large, reader, $"/search?q={LargeBlog.RareWord}");

        Assert.Equal(10, BlogClient.Parse(everywhere.Body).QuerySelectorAll(".search-result").Length);
        Assert.Equal(10, BlogClient.Parse(rare.Body).QuerySelectorAll(".search-result").Length);
        Assert.True(everywhere.Steps <= 2 * rare.Steps, $"{LargeBlog.Word} (in 1,000 posts) took {everywhere.Steps} steps, {LargeBlog.RareWord} (in 12) {rare.Steps}");
    }

    [Fact]
    public async Task EverySitemapFileCostsWhatTheFirstDoesHoldsAtMostItsShareAndComesFromTheCacheTheSecondTime()
    {
        using var reader = new BlogClient(large);
        var index = await CostAsync(large, reader, "/sitemap.xml");
        var files = SitemapReader.Locations(index.Body).Select(url => new Uri(url).PathAndQuery).ToList();
        var costs = new List<(string File, long Steps, int Urls)>();
        foreach (var file in files)
        {
            var cost = await CostAsync(large, reader, file);
            Assert.Equal(HttpStatusCode.OK, cost.Status);
            costs.Add((file, cost.Steps, SitemapReader.Locations(cost.Body).Count));
        }
        // Measuring emptied the cache before each request; the first round of reads fills it again.
        foreach (var url in files.Prepend("/sitemap.xml"))
        {
            using var _ = await reader.GetAsync(url);
        }
        var again = await StatementRecorder.RecordAsync(large, async () =>
        {
            foreach (var url in files.Prepend("/sitemap.xml"))
            {
                using var response = await reader.GetAsync(url);
                Assert.NotNull(response.Headers.Age);
            }
        });
        var postFiles = costs.Where(c => c.File.StartsWith("/sitemap-posts-", StringComparison.Ordinal)).ToList();

        Assert.Equal(LargeBlog.PostCount + 2, postFiles.Sum(c => c.Urls));
        Assert.All(costs, c => Assert.InRange(c.Urls, 1, LargeBlog.UrlsPerSitemapFile));
        // Each file costs what its own URLs cost, wherever its range lies (the first file's cost per URL, with ten URLs'
        // worth for the request itself): the last, of one URL, far less than the first.
        var first = postFiles[0];
        Assert.All(postFiles, file => Assert.True(file.Steps <= first.Steps * (file.Urls + 10) / first.Urls,
            $"{file.File} ({file.Urls} URLs) took {file.Steps} steps, {first.File} ({first.Urls} URLs) {first.Steps}"));
        Assert.True(index.Steps <= 2 * postFiles[0].Steps, $"The index took {index.Steps} steps, one file {postFiles[0].Steps}");
        Assert.True(index.Statements <= 3 && costs.All(c => c.Steps > 0), $"The index ran {index.Statements} statements");
        Assert.Empty(again);
    }

    /// <summary>One request as a cache miss: its answer, the statements it ran and SQLite's steps for them.</summary>
    private static async Task<(HttpStatusCode Status, string Body, int Statements, long Steps)> CostAsync(BlogAppFactory blog, BlogClient reader, string url)
    {
        blog.ForgetCachedPages();
        var status = HttpStatusCode.OK;
        var body = "";
        var statements = await StatementRecorder.RecordAsync(blog, async () =>
        {
            using var response = await reader.GetAsync(url);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync();
        });
        return (status, body, statements.Count, VirtualMachineSteps(blog, statements));
    }

    /// <summary>Runs the statements again on a connection of its own and adds up SQLite's virtual-machine steps.</summary>
    private static long VirtualMachineSteps(BlogAppFactory blog, IEnumerable<string> statements)
    {
        using var connection = (SqliteConnection)blog.OpenDatabase();
        long steps = 0;
        foreach (var sql in statements.Where(IsRead))
        {
            Assert.Equal(raw.SQLITE_OK, raw.sqlite3_prepare_v2(connection.Handle, sql, out var statement));
            using (statement)
            {
                int result;
                while ((result = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                {
                }
                Assert.Equal(raw.SQLITE_DONE, result);
                steps += raw.sqlite3_stmt_status(statement, raw.SQLITE_STMTSTATUS_VM_STEP, 0);
            }
        }
        return steps;
    }

    private static IEnumerable<string> Problems(string sql, List<string> plan)
    {
        var tables = TablesByAlias(sql);
        var isCount = sql.Contains("COUNT(", StringComparison.OrdinalIgnoreCase);
        var pagesWithLimit = sql.Contains("LIMIT", StringComparison.OrdinalIgnoreCase);
        var skipsRows = OffsetPattern().IsMatch(sql);
        if (skipsRows)
        {
            yield return "Finds its page by reading and skipping every row before it (OFFSET): the last page reads them all";
        }
        foreach (var line in plan)
        {
            var access = AccessPattern().Match(line);
            if (access.Success && tables.TryGetValue(access.Groups["name"].Value, out var table) && ReadingTables.Contains(table))
            {
                var covering = line.Contains("COVERING INDEX", StringComparison.Ordinal);
                var byKey = line.Contains("PRIMARY KEY", StringComparison.Ordinal);
                var scan = access.Groups["op"].Value == "SCAN";
                // A scan in index order is fine when the query stops after LIMIT rows (nothing is sorted afterwards)
                // and skips none first.
                var orderedWalk = scan && line.Contains(" USING INDEX ", StringComparison.Ordinal) && pagesWithLimit && !skipsRows;
                if (scan && !covering && !orderedWalk)
                {
                    yield return $"Reads a whole table ({table}): {line}";
                }
                if (isCount && !covering && !byKey)
                {
                    yield return $"Counts by reading rows of {table} instead of an index: {line}";
                }
            }
            if (pagesWithLimit && line.StartsWith("USE TEMP B-TREE FOR", StringComparison.Ordinal) && line.Contains("ORDER BY", StringComparison.Ordinal))
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

    private static bool IsRead(string sql)
    {
        var start = sql.TrimStart();
        return start.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || start.StartsWith("WITH", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsQuery(string sql)
    {
        var start = sql.TrimStart();
        return QueryKeywords.Any(k => start.StartsWith(k, StringComparison.OrdinalIgnoreCase));
    }

    private static string OneLine(string sql) => string.Join(' ', sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Comments straight into the database, every fourth a reply to the thread before it; the last says "The fiftieth comment".</summary>
    private static void SeedComments(BlogAppFactory blog, long postId, string authorId, int count, DateTime now)
    {
        using var connection = blog.OpenDatabase();
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
                Html = $"<p>{body}</p>", CreatedAt = TestDatabase.StoredTime(now.AddHours(-60 + i)),
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

    [GeneratedRegex(@"\bOFFSET\b", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetPattern();
}
