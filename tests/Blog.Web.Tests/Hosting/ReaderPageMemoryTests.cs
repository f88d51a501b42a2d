using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Blog.Web.Features.Stats;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// A reader page the output cache has answered is then answered from a copy in memory: the same bytes and headers,
/// never a page the cache would no longer send, never to someone signed in, and within its budget.
/// </summary>
public sealed class ReaderPageMemoryTests(ReaderPageMemoryTests.App app) : IClassFixture<ReaderPageMemoryTests.App>
{
    public const int BudgetKilobytes = 96;

    public sealed class App : CommentAppFactory
    {
        public App()
        {
            Settings["Blog:Defaults:Comments:Moderation"] = "Always";
            Settings["Blog:ReaderCache:MemoryKilobytes"] = BudgetKilobytes.ToString(CultureInfo.InvariantCulture);
        }
    }

    private ReaderPageMemory Memory => app.Services.GetRequiredService<ReaderPageMemory>();

    [Theory]
    [InlineData(null)]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task AfterTheCacheAnsweredItTheCopyAnswersWithTheSameBytesAndHeaders(string? encoding)
    {
        var (_, path) = Seed("Held in memory " + Unique());
        using var reader = new BlogClient(app);

        using var rendered = await GetAsync(reader, path, encoding);
        using var fromCache = await GetAsync(reader, path, encoding);
        var before = Memory.Answered;
        using var fromMemory = await GetAsync(reader, path, encoding);

        Assert.Equal(before + 1, Memory.Answered);
        Assert.Null(rendered.Headers.Age);
        Assert.NotNull(fromMemory.Headers.Age);
        Assert.Equal(await fromCache.Content.ReadAsByteArrayAsync(), await fromMemory.Content.ReadAsByteArrayAsync());
        Assert.Equal(HeadersOf(fromCache), HeadersOf(fromMemory));
        Assert.Equal(encoding, fromMemory.Content.Headers.ContentEncoding.SingleOrDefault());
        Assert.Equal("nosniff", fromMemory.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task AnApprovedCommentIsOnTheNextAnonymousPageThoughTheOldOneWasHeld()
    {
        var (id, path) = Seed("Comment while held " + Unique());
        using var reader = new BlogClient(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        await ReadThriceAsync(reader, path);
        var words = "Approved while the page was held " + Unique();

        var commentId = await CommentIdAsync(member, id, words);
        var answeredBefore = Memory.Answered;
        var whileHeld = await BlogClient.TextOfAsync(await reader.GetAsync(path));
        var answeredWhileHeld = Memory.Answered;
        using var approved = await owner.PostAsync("/admin/moderation/approve",
            new Dictionary<string, string> { ["id"] = commentId.ToString(CultureInfo.InvariantCulture) }, "/admin/moderation");
        var afterApproval = await BlogClient.TextOfAsync(await reader.GetAsync(path));

        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.DoesNotContain(words, whileHeld, StringComparison.Ordinal);
        Assert.Contains(words, afterApproval, StringComparison.Ordinal);
        // Holding the comment evicted the post's page too: the copy was dropped then, not answered.
        Assert.Equal(answeredBefore, answeredWhileHeld);
    }

    [Fact]
    public async Task ACopyIsAnsweredForAFewSecondsOnlyThenTheCacheIsAskedAgain()
    {
        var (_, path) = Seed("Short-lived copy " + Unique());
        using var reader = new BlogClient(app);
        await ReadThriceAsync(reader, path);

        app.Clock.Advance(ReaderPageMemory.Lifetime);
        var before = Memory.Answered;
        using var afterLifetime = await reader.GetAsync(path);

        Assert.Equal(before, Memory.Answered);
        Assert.Equal(HttpStatusCode.OK, afterLifetime.StatusCode);
        Assert.NotNull(afterLifetime.Headers.Age);
    }

    [Fact]
    public async Task AScheduledPostAppearsOnTimeThoughTheHomePageWasHeld()
    {
        var title = "Due in ten seconds " + Unique();
        Seed(title, app.Now.AddSeconds(10));
        using var reader = new BlogClient(app);
        var before = Memory.Answered;
        await ReadThriceAsync(reader, "/");
        var held = Memory.Answered > before;

        app.Clock.Advance(TimeSpan.FromSeconds(11));
        var home = await BlogClient.TextOfAsync(await reader.GetAsync("/"));

        Assert.True(held);
        Assert.Contains(title, home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedInPeopleAreNeverAnsweredFromACopy()
    {
        var (_, path) = Seed("Not for members " + Unique());
        using var reader = new BlogClient(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        await ReadThriceAsync(reader, path);

        var before = Memory.Answered;
        var signedIn = await (await member.GetAsync(path)).Content.ReadAsStringAsync();

        Assert.Equal(before, Memory.Answered);
        Assert.Contains(BlogClient.AntiforgeryField, signedIn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMatchingIfNoneMatchGetsABodiless304AndHeadGetsTheHeadersOnly()
    {
        var (_, path) = Seed("Validators " + Unique());
        using var reader = new BlogClient(app);
        var etag = (await ReadThriceAsync(reader, path)).Headers.ETag;
        var before = Memory.Answered;

        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(etag!);
        using var notModified = await reader.Http.SendAsync(conditional);
        using var otherTag = new HttpRequestMessage(HttpMethod.Get, path);
        otherTag.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"another\"", isWeak: true));
        using var modified = await reader.Http.SendAsync(otherTag);
        using var head = await reader.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(before + 3, Memory.Answered);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
        Assert.NotEmpty(await modified.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(modified.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task ManyPagesReadOftenStayWithinTheBudget()
    {
        var published = app.Now.AddDays(-1);
        var paths = PostSeeder.InsertMany(app, Enumerable.Range(1, 30).Select(i => new SeedPost
        {
            Title = "Budget filler " + i + " " + Unique(),
            PublishedAt = published,
            BodyHtml = string.Concat(Enumerable.Repeat($"<p>Paragraph {i} of a page that weighs a few kilobytes uncompressed.</p>", 40)),
        })).Select(post => string.Create(CultureInfo.InvariantCulture, $"/{published:yyyy}/{published:MM}/{post.Slug}")).ToList();
        using var reader = new BlogClient(app);

        var largest = 0L;
        foreach (var path in paths)
        {
            await ReadThriceAsync(reader, path);
            largest = Math.Max(largest, Memory.Bytes);
        }

        Assert.InRange(largest, 1, BudgetKilobytes * 1024L);
    }

    [Fact]
    public async Task MadeUpQueryKeysAreLeftToTheOutputCacheAndTakeNoRoom()
    {
        var (_, path) = Seed("Junk keys held " + Unique());
        using var reader = new BlogClient(app);
        var held = await BlogClient.TextOfAsync(await ReadThriceAsync(reader, path));
        var bytes = Memory.Bytes;
        var before = Memory.Answered;

        foreach (var i in Enumerable.Range(0, 10))
        {
            using var response = await reader.GetAsync($"{path}?utm_source=x&n{i}={Unique()}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // Answered by the output cache's entry of the page (its age says so), which ignores keys the page does not read.
            Assert.NotNull(response.Headers.Age);
            Assert.Equal(held, await BlogClient.TextOfAsync(response));
        }

        Assert.Equal(before, Memory.Answered);
        Assert.Equal(bytes, Memory.Bytes);
    }

    [Fact]
    public async Task ReadersAnsweredFromACopyAreCountedAsTheyWouldBeOtherwise()
    {
        var (id, path) = Seed("Counted from memory " + Unique());
        var word = "Heron" + Unique();
        using var reader = new BlogClient(app);
        reader.Http.DefaultRequestHeaders.UserAgent.ParseAdd(Blog.Web.Tests.Features.Stats.ViewCountingTests.Browser);
        using var bot = new BlogClient(app);
        bot.Http.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
        var before = Memory.Answered;

        foreach (var _ in Enumerable.Range(0, 5))
        {
            (await reader.GetAsync(path)).Dispose();
            (await bot.GetAsync(path)).Dispose();
            (await reader.GetAsync("/search?q=" + word)).Dispose();
        }
        await app.Services.GetRequiredService<StatsWriter>().WriteAsync(CancellationToken.None);

        Assert.True(Memory.Answered >= before + 6, $"{Memory.Answered - before} answered from memory");
        using var connection = app.OpenDatabase();
        Assert.Equal(5, connection.ExecuteScalar<long>("SELECT COALESCE(SUM(views), 0) FROM stats_post_days WHERE post_id = @id", new { id }));
        Assert.Equal(5, connection.ExecuteScalar<long>("SELECT COALESCE(SUM(searches), 0) FROM stats_search_days WHERE term = @term",
            new { term = word.ToLowerInvariant() }));
    }

    [Fact]
    public async Task AHeldPageIsNotAnsweredToAHostTheBlogDoesNotServe()
    {
        var (_, path) = Seed("Host filtered " + Unique());
        using var reader = new BlogClient(app);
        await ReadThriceAsync(reader, path);
        var before = Memory.Answered;

        using var foreign = new HttpRequestMessage(HttpMethod.Get, path);
        foreign.Headers.Host = "evil.example";
        using var refused = await reader.Http.SendAsync(foreign);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(before, Memory.Answered);
    }

    /// <summary>Rendered, answered by the output cache (and copied), then answered by the copy.</summary>
    private static async Task<HttpResponseMessage> ReadThriceAsync(BlogClient reader, string path)
    {
        (await reader.GetAsync(path)).Dispose();
        (await reader.GetAsync(path)).Dispose();
        return await reader.GetAsync(path);
    }

    private static async Task<HttpResponseMessage> GetAsync(BlogClient client, string path, string? acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.AcceptEncoding.ParseAdd(acceptEncoding);
        }
        return await client.Http.SendAsync(request);
    }

    /// <summary>Every header but those that differ from one response to the next.</summary>
    private static List<string> HeadersOf(HttpResponseMessage response) =>
        [.. response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key is not ("Date" or "Age"))
            .Select(h => h.Key + ": " + string.Join(", ", h.Value))
            .Order(StringComparer.Ordinal)];

    private static string Unique() => Guid.NewGuid().ToString("N")[..10];

    private (long Id, string Path) Seed(string title, DateTime? publishedAt = null)
    {
        var published = publishedAt ?? app.Now.AddDays(-1);
        var (id, slug) = PostSeeder.Insert(app, new SeedPost { Title = title, PublishedAt = published });
        return (id, string.Create(CultureInfo.InvariantCulture, $"/{published:yyyy}/{published:MM}/{slug}"));
    }
}
