using System.Net;
using Blog.Web.Features.Posts;
using Blog.Web.Tests.Infrastructure;
using Dapper;

namespace Blog.Web.Tests.Features.Redirects;

public sealed class OldAddressTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    private static readonly DateTime Published = new(2015, 3, 14, 9, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("/2015/03/old-slug.html")]
    [InlineData("/2015/03/OLD-SLUG.html")]
    [InlineData("/blog/2015/03/old-slug/")]
    [InlineData("/2015/03/14/old-slug/")]
    public async Task AnOldPostAddressAnswers301ToThePostsAddress(string oldPath)
    {
        var (id, slug) = Post("new-slug");
        AddOldAddress(oldPath.ToLowerInvariant().Replace("old-slug", "old-slug-" + id).TrimEnd('/'), id);

        var target = await MovedToAsync(oldPath.Replace("old-slug", "old-slug-" + id, StringComparison.OrdinalIgnoreCase));

        Assert.Equal(PostUrls.PostPath(Published, slug, TimeZoneInfo.Utc), target);
    }

    [Fact]
    public async Task AnOldPageAddressAnswers301ToThePage()
    {
        var (id, slug) = Post("about", kind: "page");
        AddOldAddress($"/about-me-{id}", id);

        var target = await MovedToAsync($"/about-me-{id}/");

        Assert.Equal("/p/" + slug, target);
    }

    [Fact]
    public async Task HeadFollowsTheSameRedirect()
    {
        var (id, slug) = Post("head");
        AddOldAddress($"/old/head-{id}.html", id);

        using var response = await Anonymous().Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/old/head-{id}.html"));

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(PostUrls.PostPath(Published, slug, TimeZoneInfo.Utc), response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task APostIsFoundAfterItsSlugChangedSinceTheImport()
    {
        var (id, _) = Post("first-name");
        AddOldAddress($"/2015/03/renamed-{id}.html", id);
        Execute("UPDATE posts SET slug = @Slug WHERE id = @Id", new { Slug = $"second-name-{id}", Id = id });

        using var response = await Anonymous().GetAsync($"/2015/03/renamed-{id}.html");

        Assert.Equal($"/2015/03/second-name-{id}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AnOldAddressOfADraftOrAFuturePostStaysNotFound()
    {
        var (draft, _) = Post("draft", status: "draft");
        var (future, _) = Post("future", publishedAt: DateTime.UtcNow.AddDays(3));
        AddOldAddress($"/old-draft-{draft}", draft);
        AddOldAddress($"/old-future-{future}", future);

        using var toDraft = await Anonymous().GetAsync($"/old-draft-{draft}");
        using var toFuture = await Anonymous().GetAsync($"/old-future-{future}");

        Assert.Equal(HttpStatusCode.NotFound, toDraft.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, toFuture.StatusCode);
    }

    [Fact]
    public async Task AnOldLabelAddressAnswers301ToItsTargetPath()
    {
        var tag = "tag-" + Guid.NewGuid().ToString("N")[..8];
        AddOldTarget($"/category/{tag}", "/search/label/Travel%20notes");
        AddOldTarget($"/category/{tag}/feed", "/feeds/posts/default/-/Travel%20notes?alt=rss");

        var label = await MovedToAsync($"/category/{tag}/");
        var feed = await MovedToAsync($"/category/{tag}/feed/");

        Assert.Equal("/search/label/Travel%20notes", label);
        Assert.Equal("/feeds/posts/default/-/Travel%20notes?alt=rss", feed);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example/x")]
    [InlineData("https://evil.example/x")]
    [InlineData("evil.example")]
    public async Task AStoredTargetThatIsNotALocalPathIsNeverFollowed(string target)
    {
        var old = "/open-" + Guid.NewGuid().ToString("N")[..8];
        AddOldTarget(old, target);

        using var response = await Anonymous().GetAsync(old);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task WordPressPostNumbersOnTheHomePageAnswer301()
    {
        var (post, postSlug) = Post("by-number");
        var (page, pageSlug) = Post("page-by-number", kind: "page");
        AddOldAddress($"/?p={post + 100_000}", post);
        AddOldAddress($"/?page_id={page + 100_000}", page);
        var client = Anonymous();
        using var home = await client.GetAsync("/");

        using var toPost = await client.GetAsync($"/?p={post + 100_000}");
        using var toPage = await client.GetAsync($"/?page_id={page + 100_000}&utm_source=x");
        using var elsewhere = await client.GetAsync($"/index.php?p={post + 100_000}");
        using var unknown = await client.GetAsync("/?p=987654321");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(PostUrls.PostPath(Published, postSlug, TimeZoneInfo.Utc), toPost.Headers.Location!.OriginalString);
        Assert.Equal("/p/" + pageSlug, toPage.Headers.Location!.OriginalString);
        Assert.Equal(PostUrls.PostPath(Published, postSlug, TimeZoneInfo.Utc), elsewhere.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
    }

    [Theory]
    [InlineData("/search/label/x?m=1", "/search/label/x")]
    [InlineData("/?m=0", "/")]
    [InlineData("/2015/03/a.html?m=1", "/2015/03/a.html")]
    [InlineData("/search?q=cats&m=1&max-results=5", "/search?q=cats&max-results=5")]
    [InlineData("/feeds/posts/default?m=1&alt=rss", "/feeds/posts/default?alt=rss")]
    public async Task TheMobileKeyAnswers301ToTheSameAddressWithoutIt(string address, string expected)
    {
        var target = await MovedToAsync(address);

        Assert.Equal(expected, target);
    }

    [Fact]
    public async Task TheMobileKeyOnAPostGoesToThePostItself()
    {
        var (_, slug) = Post("mobile");
        var path = PostUrls.PostPath(Published, slug, TimeZoneInfo.Utc);
        var client = Anonymous();
        using var cached = await client.GetAsync(path);

        using var mobile = await client.GetAsync(path + "?m=1");

        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        Assert.Equal(HttpStatusCode.MovedPermanently, mobile.StatusCode);
        Assert.Equal(path, mobile.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/m?m=2")]
    [InlineData("/?mm=1")]
    [InlineData("/?m")]
    public async Task OtherKeysLikeTheMobileOneChangeNothing(string address)
    {
        using var response = await Anonymous().GetAsync(address);

        Assert.NotEqual(HttpStatusCode.MovedPermanently, response.StatusCode);
    }

    [Theory]
    [InlineData("/2015_03_01_archive.html", "/2015/03/")]
    [InlineData("/2015_12_27_archive.html", "/2015/12/")]
    [InlineData("/2015/03/14/", "/2015/03/")]
    [InlineData("/2015/03/14", "/2015/03/")]
    [InlineData("/feeds/posts/summary", "/feeds/posts/default")]
    [InlineData("/feeds/posts/summary?alt=rss", "/feeds/posts/default?alt=rss")]
    [InlineData("/feeds/posts/summary/-/Travel", "/feeds/posts/default/-/Travel")]
    [InlineData("/feeds/comments/summary", "/feeds/comments/default")]
    [InlineData("/atom.xml", "/feeds/posts/default")]
    [InlineData("/rss.xml", "/feeds/posts/default?alt=rss")]
    [InlineData("/feed/", "/feeds/posts/default?alt=rss")]
    [InlineData("/feed/atom/", "/feeds/posts/default")]
    [InlineData("/comments/feed/", "/feeds/comments/default")]
    public async Task OldArchiveAndFeedAddressesAnswer301WithoutATable(string address, string expected)
    {
        var target = await MovedToAsync(address);

        Assert.Equal(expected, target);
    }

    [Theory]
    [InlineData("/2015_13_01_archive.html")]
    [InlineData("/2015_02_30_archive.html")]
    [InlineData("/2015/02/31/")]
    [InlineData("/2015/13/01")]
    public async Task ImpossibleDatesStayNotFound(string address)
    {
        using var response = await Anonymous().GetAsync(address);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AnOldAddressIsOnlyRedirectedForReading()
    {
        var (id, _) = Post("post-method");
        AddOldAddress($"/old-post-method-{id}", id);
        var client = Anonymous();

        using var response = await client.Http.PostAsync($"/old-post-method-{id}", new FormUrlEncodedContent([]));

        Assert.NotEqual(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.True((int)response.StatusCode is >= 400 and < 500);
    }

    [Theory]
    [InlineData("/%2F%2Fevil.example")]
    [InlineData("//evil.example/?m=1")]
    [InlineData("/%5Cevil.example?m=1")]
    [InlineData("/a?m=%00")]
    [InlineData("/?p=1%00&m=1")]
    [InlineData("/%C3%28")]
    [InlineData("/%FF%FE?p=1")]
    [InlineData("/%E2%82")]
    [InlineData("/2015/03/%2e%2e%2f%2e%2e%2fetc")]
    [InlineData("/feeds/posts/summary/-/%2F%2Fevil.example")]
    [InlineData("/index.php?p=99999999999999999999999")]
    [InlineData("/?p=-1&page_id=0")]
    public async Task HostilePathsNeverRedirectElsewhereNorFail(string address)
    {
        using var response = await Anonymous().GetAsync(address);

        Assert.True((int)response.StatusCode < 500, $"{address} answered {(int)response.StatusCode}");
        var location = response.Headers.Location?.OriginalString;
        Assert.True(location is null || (location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal) && !location.StartsWith("/\\", StringComparison.Ordinal)),
            $"{address} was sent to {location}");
    }

    [Fact]
    public async Task AVeryLongOrDeepAddressIsNotFound()
    {
        var client = Anonymous();

        using var longPath = await client.GetAsync("/" + new string('a', 5_000) + "?m=0");
        using var deep = await client.GetAsync(string.Concat(Enumerable.Repeat("/x", 1_500)));

        Assert.True((int)longPath.StatusCode is 301 or 404 or 414, $"{(int)longPath.StatusCode}");
        Assert.Equal(HttpStatusCode.NotFound, deep.StatusCode);
    }

    [Fact]
    public async Task AnExistingPageIsNotLookedUp()
    {
        var (id, slug) = Post("existing");
        var path = PostUrls.PostPath(Published, slug, TimeZoneInfo.Utc);
        // An old address row that would shadow the live page, were the table read for pages that exist.
        AddOldTarget(path, "/p/elsewhere");

        using var response = await Anonymous().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(id > 0);
    }

    private BlogClient Anonymous() => new(app);

    /// <summary>Where a reader asking for <paramref name="address"/> is sent with a 301, or null when they are not.</summary>
    private async Task<string?> MovedToAsync(string address)
    {
        using var response = await Anonymous().GetAsync(address);
        return response.StatusCode == HttpStatusCode.MovedPermanently ? response.Headers.Location?.OriginalString : null;
    }

    private (long Id, string Slug) Post(string name, string kind = "post", string status = "published", DateTime? publishedAt = null)
    {
        var slug = name + "-" + Guid.NewGuid().ToString("N")[..8];
        return PostSeeder.Insert(app, new SeedPost
        {
            Kind = kind,
            Title = "Post " + slug,
            Slug = slug,
            Status = status,
            PublishedAt = status == "draft" ? null : publishedAt ?? Published,
        });
    }

    private void AddOldAddress(string address, long postId) =>
        Execute("INSERT INTO legacy_addresses (address, post_id) VALUES (@Address, @PostId)", new { Address = address, PostId = postId });

    private void AddOldTarget(string address, string target) =>
        Execute("INSERT INTO legacy_addresses (address, target) VALUES (@Address, @Target)", new { Address = address, Target = target });

    private void Execute(string sql, object parameters)
    {
        _ = app.Services;
        using var connection = app.OpenDatabase();
        connection.Execute(sql, parameters);
        // Pages cached before the rows existed, as an import evicts them.
        app.ForgetCachedPages();
    }
}
