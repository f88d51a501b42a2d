using System.Net;
using Blog.Web.Features.Stats;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Features.Stats;

/// <summary>
/// Which requests count as a view, through the whole app: each test reads its own new post, has the counts written
/// (as the writer does every few seconds) and looks at the stats tables.
/// </summary>
public sealed class ViewCountingTests(BlogAppFactory app) : IClassFixture<BlogAppFactory>
{
    internal const string Browser = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    [Fact]
    public async Task ABrowserReadingAPostIsOneViewAndOneVisitor()
    {
        var post = NewPost();

        await ReadAsync(post.Path);
        await WriteCountsAsync();

        Assert.Equal((1, 1), Counts(post.Id));
    }

    [Fact]
    public async Task AStaticPageIsCountedLikeAPost()
    {
        var page = NewPost(kind: "page");

        await ReadAsync(page.Path);
        await WriteCountsAsync();

        Assert.Equal((1, 1), Counts(page.Id));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("Mozilla/5.0 (compatible; bingbot/2.0)")]
    [InlineData("facebookexternalhit/1.1")]
    [InlineData("curl/8.5.0")]
    [InlineData("Wget/1.21")]
    [InlineData("python-requests/2.31.0")]
    [InlineData("Mozilla/5.0 (compatible; Yahoo! Slurp)")]
    [InlineData("Baiduspider")]
    [InlineData("")]
    public async Task BotsAreNotCounted(string userAgent)
    {
        var post = NewPost();

        await ReadAsync(post.Path, userAgent);
        await ReadAsync(post.Path);
        await WriteCountsAsync();

        Assert.Equal((1, 1), Counts(post.Id));
    }

    /// <summary>
    /// The app answers HEAD on a post with 404 today (its routes are GET only), so the rule is checked on the counter
    /// itself: the post page's own endpoint answering 200 to HEAD must not count, where GET does.
    /// </summary>
    [Theory]
    [InlineData("HEAD", 0)]
    [InlineData("GET", 1)]
    public async Task OnlyGetRequestsAreCounted(string method, int expectedViews)
    {
        var counter = new ViewCounter(TimeProvider.System);
        var showPost = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Single(endpoint => endpoint.Metadata.GetMetadata<ControllerActionDescriptor>() is { ActionName: "Show", ControllerName: "Posts" });
        var counting = new ViewCounting(context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        }, counter);
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Headers.UserAgent = Browser;
        context.Request.RouteValues["slug"] = "a-post";
        context.SetEndpoint(showPost);

        await counting.InvokeAsync(context);
        var window = await counter.TakeAsync(CancellationToken.None);

        Assert.Equal(expectedViews, window.Views.Values.Sum(tally => tally.Count));
    }

    [Theory]
    [InlineData("Sec-Purpose", "prefetch")]
    [InlineData("Sec-Purpose", "prefetch;prerender")]
    [InlineData("Purpose", "prefetch")]
    [InlineData("X-Moz", "prefetch")]
    [InlineData("X-Purpose", "preview")]
    public async Task PrefetchesAreNotCounted(string header, string value)
    {
        var post = NewPost();

        var status = await ReadAsync(post.Path, headers: (header, value));
        await WriteCountsAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((0, 0), Counts(post.Id));
    }

    [Theory]
    [InlineData("Sec-GPC", "1")]
    [InlineData("DNT", "1")]
    public async Task ReadersWhoAskNotToBeTrackedAreNotCountedAtAll(string header, string value)
    {
        var post = NewPost();

        await ReadAsync(post.Path, headers: (header, value));
        await ReadAsync(post.Path + "?utm_source=news", headers: (header, value));
        await WriteCountsAsync();

        Assert.Equal((0, 0), Counts(post.Id));
    }

    [Fact]
    public async Task DntZeroIsCounted()
    {
        var post = NewPost();

        await ReadAsync(post.Path, headers: ("DNT", "0"));
        await WriteCountsAsync();

        Assert.Equal((1, 1), Counts(post.Id));
    }

    [Theory]
    [InlineData(MemberRole.Owner, 0)]
    [InlineData(MemberRole.Author, 0)]
    [InlineData(MemberRole.Member, 1)]
    public async Task TheOwnersAndAuthorsOwnReadingIsNotCounted(MemberRole role, int expectedViews)
    {
        var post = NewPost();
        var (client, _) = await BlogClient.SignedInAsync(app, role);
        using (client)
        {
            client.Http.DefaultRequestHeaders.UserAgent.ParseAdd(Browser);

            using var response = await client.GetAsync(post.Path);
            await WriteCountsAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expectedViews, Counts(post.Id).Views);
        }
    }

    [Fact]
    public async Task MissingAndUnpublishedPostsAreNotCounted()
    {
        var draft = NewPost(status: "draft");

        var draftStatus = await ReadAsync(draft.Path);
        var missingStatus = await ReadAsync("/2020/01/no-such-post-" + Guid.NewGuid().ToString("N"));
        await WriteCountsAsync();

        Assert.Equal(HttpStatusCode.NotFound, draftStatus);
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        Assert.Equal((0, 0), Counts(draft.Id));
    }

    [Fact]
    public async Task AViewServedFromTheCacheIsStillCounted()
    {
        var post = NewPost();
        using var client = new BlogClient(app);
        client.Http.DefaultRequestHeaders.UserAgent.ParseAdd(Browser);

        using var first = await client.GetAsync(post.Path);
        using var second = await client.GetAsync(post.Path);
        await WriteCountsAsync();

        // The output cache answers a repeated page with its age: the second answer did not render the page.
        Assert.NotNull(second.Headers.Age);
        Assert.Equal((2, 1), Counts(post.Id));
    }

    [Fact]
    public async Task TheSameAddressAndBrowserTwiceIsOneVisitorAndAnotherBrowserIsAnother()
    {
        var post = NewPost();

        await ReadAsync(post.Path);
        await ReadAsync(post.Path);
        await WriteCountsAsync();
        await ReadAsync(post.Path);
        await ReadAsync(post.Path, Browser.Replace("131.0", "132.0", StringComparison.Ordinal));
        await WriteCountsAsync();

        Assert.Equal((4, 2), Counts(post.Id));
        Assert.Equal(2, Scalar("SELECT COUNT(*) FROM stats_visitors WHERE post_id = @Id", post.Id));
    }

    [Fact]
    public async Task TwoWritesAddUp()
    {
        var post = NewPost();

        await ReadAsync(post.Path);
        await WriteCountsAsync();
        var afterFirst = Counts(post.Id).Views;
        await ReadAsync(post.Path);
        await ReadAsync(post.Path);
        await WriteCountsAsync();

        Assert.Equal(1, afterFirst);
        Assert.Equal(3, Counts(post.Id).Views);
    }

    [Fact]
    public async Task ReferringSitesAreCountedByDomainAndTheBlogItselfIsNot()
    {
        var post = NewPost();
        var site = $"news-{Guid.NewGuid():N}.example";

        await ReadAsync(post.Path, headers: ("Referer", $"https://www.{site.ToUpperInvariant()}:8443/a/page?x=1"));
        await ReadAsync("/", headers: ("Referer", $"http://{site}/"));
        await ReadAsync(post.Path, headers: ("Referer", "http://localhost/"));
        await ReadAsync(post.Path, headers: ("Referer", "android-app://com.example/"));
        await ReadAsync(post.Path, headers: ("Referer", "not a url at all"));
        await WriteCountsAsync();

        Assert.Equal(2, Scalar("SELECT COALESCE(SUM(views), 0) FROM stats_referrer_days WHERE domain = @Id", site));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM stats_referrer_days WHERE domain IN ('localhost', 'com.example', '')", 0));
        Assert.Equal(4, Counts(post.Id).Views);
    }

    [Fact]
    public async Task SearchTermsAreCountedTrimmedAndLowerCaseAndOnlyOnTheFirstPage()
    {
        var word = "Zebra" + Guid.NewGuid().ToString("N")[..6];

        await ReadAsync($"/search?q=%20%20{word}%20%20%20Crossing%20");
        await ReadAsync($"/search?q={word.ToLowerInvariant()}+crossing");
        await ReadAsync($"/search?q={word}+crossing", "Googlebot/2.1");
        await ReadAsync($"/search?q={word}+crossing", headers: ("Sec-GPC", "1"));
        await WriteCountsAsync();

        Assert.Equal(2, Scalar("SELECT COALESCE(SUM(searches), 0) FROM stats_search_days WHERE term = @Id", word.ToLowerInvariant() + " crossing"));
    }

    [Fact]
    public async Task HostileHeadersAreAnsweredAndNeverBreakCounting()
    {
        var post = NewPost();
        string[] agents = [new string('M', 16_000), Browser + "\u00e9\u65e5\u672c", Browser + new string(' ', 3000)];
        string[] referers = ["https://" + new string('a', 3000) + ".example/", "https://[::1]/", "https://xn--/", "http://%41%42.example/", "https://user:pw@evil.example:99999/", "javascript:alert(1)"];

        foreach (var agent in agents)
        {
            foreach (var referer in referers)
            {
                Assert.Equal(HttpStatusCode.OK, await ReadAsync(post.Path, agent, ("Referer", referer), ("Sec-Purpose", new string('x', 4000)), ("DNT", "\u00ff")));
            }
        }
        await WriteCountsAsync();

        Assert.Equal(agents.Length * referers.Length, Counts(post.Id).Views);
        Assert.Equal(agents.Length, Counts(post.Id).Visitors);
    }

    private (long Id, string Path) NewPost(string kind = "post", string status = "published")
    {
        var (id, _) = PostSeeder.Insert(app, new SeedPost { Title = "Counted", Kind = kind, Status = status });
        return (id, CommentTestData.PostPath(app, id));
    }

    private async Task<HttpStatusCode> ReadAsync(string path, string userAgent = Browser, params (string Name, string Value)[] headers)
    {
        using var client = new BlogClient(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (userAgent.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await client.Http.SendAsync(request);
        return response.StatusCode;
    }

    private Task WriteCountsAsync() => app.Services.GetRequiredService<StatsWriter>().WriteAsync(CancellationToken.None);

    private (long Views, long Visitors) Counts(long postId)
    {
        using var connection = app.OpenDatabase();
        return connection.QuerySingle<(long, long)>(
            "SELECT COALESCE(SUM(views), 0), COALESCE(SUM(visitors), 0) FROM stats_post_days WHERE post_id = @Id", new { Id = postId });
    }

    private long Scalar(string sql, object id)
    {
        using var connection = app.OpenDatabase();
        return connection.ExecuteScalar<long>(sql, new { Id = id });
    }
}
