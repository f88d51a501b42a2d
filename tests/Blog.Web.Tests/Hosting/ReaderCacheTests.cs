using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Blog.Web.Data;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Microsoft.Extensions.DependencyInjection;
using Blog.Web.Tests.Infrastructure;
using static Blog.Web.Tests.Infrastructure.CommentTestData;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// Anonymous readers get pages from the output cache, and every change made through the blog reaches them on
/// their very next request. Changes made behind the blog's back (plain SQL here) show what the cache holds.
/// </summary>
public sealed class ReaderCacheTests(ReaderCacheTests.App app) : IClassFixture<ReaderCacheTests.App>
{
    /// <summary>Every member's comment is held, so approval is a step the tests can watch.</summary>
    public sealed class App : CommentAppFactory
    {
        public App()
        {
            Settings["Blog:Defaults:Comments:Moderation"] = "Always";
        }
    }

    [Fact]
    public async Task SecondAnonymousRequestIsServedFromTheCacheWhileSignedInPeopleGetAFreshPage()
    {
        var (id, path) = Seed("Cached original " + Unique());
        using var reader = new BlogClient(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);

        using var first = await reader.GetAsync(path);
        Execute(app, "UPDATE posts SET title = @Title WHERE id = @Id", new { Title = "Changed behind the blog's back", Id = id });
        using var second = await reader.GetAsync(path);
        var signedIn = await BlogClient.TextOfAsync(await member.GetAsync(path));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("Cached original", await BlogClient.TextOfAsync(second), StringComparison.Ordinal);
        Assert.NotNull(second.Headers.Age);
        Assert.Null(first.Headers.Age);
        Assert.Contains("Changed behind the blog's back", signedIn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeldCommentIsSeenByItsWriterOnlyAndByAnonymousReadersTheMomentItIsApproved()
    {
        var (id, path) = Seed("Held comment post " + Unique());
        using var reader = new BlogClient(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        var words = "A thought awaiting approval " + Unique();
        using var warm = await reader.GetAsync(path);

        var commentId = await CommentIdAsync(member, id, words);
        var anonymousWhileHeld = await BlogClient.TextOfAsync(await reader.GetAsync(path));
        var writerWhileHeld = await BlogClient.TextOfAsync(await member.GetAsync(path));
        using var approved = await owner.PostAsync("/admin/moderation/approve",
            new Dictionary<string, string> { ["id"] = commentId.ToString(CultureInfo.InvariantCulture) }, "/admin/moderation");
        var anonymousAfter = await BlogClient.TextOfAsync(await reader.GetAsync(path));

        Assert.DoesNotContain(words, anonymousWhileHeld, StringComparison.Ordinal);
        Assert.Contains(words, writerWhileHeld, StringComparison.Ordinal);
        Assert.Contains("Awaiting moderation", writerWhileHeld, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Contains(words, anonymousAfter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditedAndRemovedCommentsReachAnonymousReadersAtOnce()
    {
        var (id, path) = Seed("Edited comment post " + Unique());
        using var reader = new BlogClient(app);
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        var before = "First wording " + Unique();
        var after = "Second wording " + Unique();

        var commentId = await CommentIdAsync(owner, id, before);
        var shown = await BlogClient.TextOfAsync(await reader.GetAsync(path));
        using var edited = await PostFormAsync(owner, $"/comments/{commentId}/edit", new() { ["Body"] = after });
        var afterEdit = await BlogClient.TextOfAsync(await reader.GetAsync(path));
        using var removed = await PostFormAsync(owner, $"/comments/{commentId}/remove");
        var afterRemoval = await BlogClient.TextOfAsync(await reader.GetAsync(path));

        Assert.Contains(before, shown, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Contains(after, afterEdit, StringComparison.Ordinal);
        Assert.DoesNotContain(before, afterEdit, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.DoesNotContain(after, afterRemoval, StringComparison.Ordinal);
        Assert.Contains("This comment has been removed", afterRemoval, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomePageCommentCountFollowsCommentsPostedApprovedAndRemoved()
    {
        var (id, path) = Seed("Counted on the home page " + Unique(), app.Now.AddMinutes(-1));
        using var reader = new BlogClient(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        async Task<string> CountOnHomeAsync() =>
            (await reader.GetPageAsync("/")).QuerySelector($"a.comment-count[href='{path}#comments']")!.TextContent.Trim();

        var before = await CountOnHomeAsync();
        var held = await CommentIdAsync(member, id, "Held until the owner looks " + Unique());
        var whileHeld = await CountOnHomeAsync();
        using var approved = await owner.PostAsync("/admin/moderation/approve",
            new Dictionary<string, string> { ["id"] = held.ToString(CultureInfo.InvariantCulture) }, "/admin/moderation");
        var afterApproval = await CountOnHomeAsync();
        var own = await CommentIdAsync(owner, id, "The owner's own word " + Unique());
        var afterPosting = await CountOnHomeAsync();
        using var removed = await PostFormAsync(owner, $"/comments/{own}/remove");
        var afterRemoval = await CountOnHomeAsync();

        Assert.Equal("No comments", before);
        Assert.Equal("No comments", whileHeld);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal("1 comment", afterApproval);
        Assert.Equal("2 comments", afterPosting);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal("1 comment", afterRemoval);
    }

    // SQLite by nature: saves the change from inside SQLite's statement trace hook, i.e. mid-render.
    [Trait("Database", "Sqlite")]
    [Fact]
    public async Task APageRenderedWhileAChangeIsSavedIsSentButNotKept()
    {
        var (_, path) = Seed("Rendered during a change " + Unique());
        var database = app.Services.GetRequiredService<SqliteDatabase>();
        var cache = app.Services.GetRequiredService<ReaderCache>();
        var evicted = 0;
        // A change saved (and its eviction done) while the page reads its comments, i.e. mid-render.
        database.StatementListener = sql =>
        {
            if (sql.Contains("comments", StringComparison.OrdinalIgnoreCase) && Interlocked.Exchange(ref evicted, 1) == 0)
            {
                cache.EverythingChangedAsync().GetAwaiter().GetResult();
            }
        };
        using var reader = new BlogClient(app);
        HttpResponseMessage renderedDuringChange;
        try
        {
            renderedDuringChange = await reader.GetAsync(path);
        }
        finally
        {
            database.StatementListener = null;
        }
        using var _ = renderedDuringChange;
        using var next = await reader.GetAsync(path);
        using var afterThat = await reader.GetAsync(path);

        Assert.Equal(1, evicted);
        Assert.Equal(HttpStatusCode.OK, renderedDuringChange.StatusCode);
        Assert.Null(next.Headers.Age);
        Assert.NotNull(afterThat.Headers.Age);
    }

    [Fact]
    public async Task PostEditedByItsAuthorReachesAnonymousReadersAtOnce()
    {
        var (id, path) = Seed("Before the edit " + Unique());
        var slug = path[(path.LastIndexOf('/') + 1)..];
        using var reader = new BlogClient(app);
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        var newTitle = "After the edit " + Unique();
        var home = await BlogClient.TextOfAsync(await reader.GetAsync("/"));
        var shown = await BlogClient.TextOfAsync(await reader.GetAsync(path));

        using var saved = await owner.SubmitFormAsync($"/admin/posts/{id}/edit", new Dictionary<string, string>
        {
            ["Title"] = newTitle, ["Slug"] = slug, ["Body"] = "New body text.", ["AllowComments"] = "true", ["Command"] = "save",
        });
        var afterEdit = await BlogClient.TextOfAsync(await reader.GetAsync(path));
        var homeAfterEdit = await BlogClient.TextOfAsync(await reader.GetAsync("/"));

        Assert.Contains("Before the edit", shown, StringComparison.Ordinal);
        Assert.Contains("Before the edit", home, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains(newTitle, afterEdit, StringComparison.Ordinal);
        Assert.Contains("New body text.", afterEdit, StringComparison.Ordinal);
        Assert.Contains(newTitle, homeAfterEdit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostDeletedByItsAuthorIsGoneForAnonymousReadersAtOnce()
    {
        var title = "Soon deleted " + Unique();
        var (id, path) = Seed(title);
        using var reader = new BlogClient(app);
        var (owner, _) = await SignedInAsync(app, MemberRole.Owner);
        using var shown = await reader.GetAsync(path);
        var home = await BlogClient.TextOfAsync(await reader.GetAsync("/"));

        using var deleted = await owner.SubmitFormAsync($"/admin/posts/{id}/delete", new Dictionary<string, string>());
        using var afterDelete = await reader.GetAsync(path);
        var homeAfterDelete = await BlogClient.TextOfAsync(await reader.GetAsync("/"));

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains(title, home, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.StatusCode);
        Assert.DoesNotContain(title, homeAfterDelete, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduledPostAppearsForAnonymousReadersWhenItsTimeComes()
    {
        var title = "Scheduled for later " + Unique();
        var (_, path) = Seed(title, app.Now.AddHours(1));
        using var reader = new BlogClient(app);

        var homeBefore = await BlogClient.TextOfAsync(await reader.GetAsync("/"));
        using var postBefore = await reader.GetAsync(path);
        app.Clock.Advance(TimeSpan.FromHours(2));
        var homeAfter = await BlogClient.TextOfAsync(await reader.GetAsync("/"));
        using var postAfter = await reader.GetAsync(path);

        Assert.DoesNotContain(title, homeBefore, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, postBefore.StatusCode);
        Assert.Contains(title, homeAfter, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, postAfter.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("post")]
    [InlineData("/feeds/posts/default")]
    [InlineData("/feeds/comments/default")]
    [InlineData("/sitemap.xml")]
    public async Task PagesAndFeedsCarryAnETagAndAMatchingIfNoneMatchGetsABodilessNotModified(string url)
    {
        var path = url == "post" ? Seed("ETag post " + Unique()).Path : url;
        using var reader = new BlogClient(app);

        using var first = await reader.GetAsync(path);
        var etag = first.Headers.ETag;
        // The same request again is a cache hit; after an eviction it is rendered again.
        using var cached = await GetAsync(reader, path, etag, null);
        app.ForgetCachedPages();
        using var fresh = await GetAsync(reader, path, etag, null);
        using var other = await GetAsync(reader, path, new EntityTagHeaderValue("\"something-else\"", isWeak: true), null);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotNull(etag);
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
        Assert.Empty(await cached.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotModified, fresh.StatusCode);
        Assert.Empty(await fresh.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.NotEmpty(await other.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AnonymousPagesAreSentCompressedButSignedInPagesWhichCarryTokensAreNot()
    {
        var title = "Compressed post " + Unique();
        var (_, path) = Seed(title);
        using var reader = new BlogClient(app);
        var (member, _) = await SignedInAsync(app, MemberRole.Member);

        using var anonymous = await GetAsync(reader, path, null, "br, gzip");
        using var gzipped = await GetAsync(reader, path, null, "gzip");
        using var signedIn = await GetAsync(member, path, null, "br, gzip");

        Assert.Equal("br", Assert.Single(anonymous.Content.Headers.ContentEncoding));
        await using (var brotli = new BrotliStream(await anonymous.Content.ReadAsStreamAsync(), CompressionMode.Decompress))
        {
            Assert.Contains(title, await new StreamReader(brotli).ReadToEndAsync(), StringComparison.Ordinal);
        }
        Assert.Equal("gzip", Assert.Single(gzipped.Content.Headers.ContentEncoding));
        Assert.Empty(signedIn.Content.Headers.ContentEncoding);
        Assert.Contains("__RequestVerificationToken", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("post")]
    [InlineData("/search?q=cache")]
    [InlineData("/search/label/cache")]
    [InlineData("/feeds/posts/default")]
    public async Task AnonymousReaderPagesHoldNoAntiforgeryTokenAndSetNoCookieSoTheyAreSafeToShare(string url)
    {
        var seeded = Seed("Shared page " + Unique(), labels: ["cache"]);
        var path = url == "post" ? seeded.Path : url;
        using var reader = new BlogClient(app);

        using var response = await reader.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.DoesNotContain("__RequestVerificationToken", body, StringComparison.Ordinal);
        Assert.DoesNotContain("method=\"post\"", body, StringComparison.OrdinalIgnoreCase);
    }

    // SQLite by nature: counts statements with SQLite's trace hook.
    [Trait("Database", "Sqlite")]
    [Theory]
    [InlineData("/search?updated-max=1990-01-01T00:00:00Z&max-results=10")]
    [InlineData("/?page=90000")]
    [InlineData("/2026/11/no-such-post")]
    [InlineData("/made/up/address")]
    public async Task NotFoundReaderPagesAreRenderedOnceAndThenServedFromTheCache(string url)
    {
        using var reader = new BlogClient(app);
        using var first = await reader.GetAsync(url);

        var statements = await StatementRecorder.RecordAsync(app, async () =>
        {
            using var second = await reader.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
            Assert.NotNull(second.Headers.Age);
            Assert.Contains("Page not found", await BlogClient.TextOfAsync(second), StringComparison.Ordinal);
        });

        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        Assert.Contains("Page not found", await BlogClient.TextOfAsync(first), StringComparison.Ordinal);
        Assert.Empty(statements);
    }

    // SQLite by nature: counts statements with SQLite's trace hook.
    [Trait("Database", "Sqlite")]
    [Theory]
    [InlineData("/", "?utm_source=feed&junk=1")]
    [InlineData("post", "?fbclid=abc&commentPagee=2")]
    [InlineData("/search/label/cache", "?x=1")]
    [InlineData("/feeds/posts/default", "?max-results=100000&start-index=500")]
    [InlineData("/sitemap.xml", "?anything=at-all")]
    public async Task QueryKeysAPageDoesNotReadAreAnsweredFromItsOneCacheEntry(string url, string junk)
    {
        var seeded = Seed("Junk keys " + Unique(), labels: ["cache"]);
        var path = url == "post" ? seeded.Path : url;
        using var reader = new BlogClient(app);
        var clean = await reader.Http.GetStringAsync(path);

        string withJunk = "";
        var statements = await StatementRecorder.RecordAsync(app, async () =>
        {
            foreach (var i in Enumerable.Range(0, 20))
            {
                using var response = await reader.GetAsync($"{path}{junk}&n{i}={Unique()}");
                Assert.NotNull(response.Headers.Age);
                withJunk = await response.Content.ReadAsStringAsync();
            }
        });

        Assert.Equal(clean, withJunk);
        Assert.Empty(statements);
    }

    [Fact]
    public async Task AKeyThePageReadsIsItsOwnEntry()
    {
        var (_, path) = Seed("Known keys " + Unique());
        using var reader = new BlogClient(app);
        using var first = await reader.GetAsync(path);

        using var newest = await reader.GetAsync(path + "?commentOrder=newest");
        using var again = await reader.GetAsync(path + "?commentOrder=newest&junk=1");

        Assert.Null(newest.Headers.Age);
        Assert.NotNull(again.Headers.Age);
    }

    [Fact]
    public async Task ACachedPageLinksBackWithoutTheKeysItIgnores()
    {
        var (_, path) = Seed("Sign-in link " + Unique());
        using var reader = new BlogClient(app);

        var page = await reader.GetPageAsync(path + "?commentOrder=newest&campaign=<b>spam</b>");

        Assert.Equal("/account/sign-in?returnUrl=" + Uri.EscapeDataString(path + "?commentOrder=newest"),
            page.QuerySelector(".site-nav a[href^='/account/sign-in']")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData("gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "br")]
    [InlineData("gzip", "gzip;q=0.5, identity;q=0.1", "gzip")]
    [InlineData("x-made-up-1", "x-made-up-2", null)]
    public async Task SpellingsOfAcceptEncodingThatGetTheSameEncodingShareAnEntry(string one, string another, string? encoding)
    {
        var (_, path) = Seed("Encodings " + Unique());
        using var reader = new BlogClient(app);

        using var first = await GetAsync(reader, path, null, one);
        using var second = await GetAsync(reader, path, null, another);

        Assert.Null(first.Headers.Age);
        Assert.NotNull(second.Headers.Age);
        Assert.Equal(encoding, second.Content.Headers.ContentEncoding.SingleOrDefault());
    }

    [Fact]
    public async Task AVeryLongAddressIsRenderedEachTimeRatherThanKept()
    {
        using var reader = new BlogClient(app);
        var url = "/search?q=" + new string('w', ReaderPageAttribute.MaxCachedAddressLength);

        using var first = await reader.GetAsync(url);
        using var second = await reader.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Null(second.Headers.Age);
    }

    /// <summary>A post put in with SQL (the seeder announces it to the cache as the editor would).</summary>
    private (long Id, string Path) Seed(string title, DateTime? publishedAt = null, IReadOnlyList<string>? labels = null)
    {
        var published = publishedAt ?? app.Now.AddDays(-1);
        var (id, slug) = PostSeeder.Insert(app, new SeedPost { Title = title, PublishedAt = published, Labels = labels ?? [] });
        return (id, string.Create(CultureInfo.InvariantCulture, $"/{published:yyyy}/{published:MM}/{slug}"));
    }

    private static async Task<HttpResponseMessage> GetAsync(BlogClient client, string path, EntityTagHeaderValue? ifNoneMatch, string? acceptEncoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }
        return await client.Http.SendAsync(request);
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..10];
}
