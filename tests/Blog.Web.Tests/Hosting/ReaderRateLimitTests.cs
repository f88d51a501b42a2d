using System.Net;
using Blog.Web.Hosting;
using Blog.Web.Identity;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// Reader pages that have to be rendered (not in the cache) are limited per client; pages from the cache never are.
/// Here a client may have one page rendered a minute.
/// </summary>
public sealed class ReaderRateLimitTests : IDisposable
{
    private readonly BlogAppFactory _app = new();

    public ReaderRateLimitTests()
    {
        _app.Settings["Blog:RateLimits:ReaderPagesPerMinute"] = "1";
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AClientGetsItsShareOfRenderedPagesWhileCachedPagesAreNeverRefused()
    {
        PostSeeder.Insert(_app, new SeedPost { Title = "Limited reading" });
        using var reader = new BlogClient(_app);

        using var rendered = await reader.GetAsync("/");
        using var refused = await reader.GetAsync("/search?q=anything");
        var cached = new List<HttpResponseMessage>();
        for (var i = 0; i < 20; i++)
        {
            cached.Add(await reader.GetAsync("/?unread=" + i));
        }
        using var refusedAgain = await reader.GetAsync("/no/such/page");
        using var compressible = new HttpRequestMessage(HttpMethod.Get, "/search?q=compressed");
        compressible.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");
        using var refusedPlainly = await reader.Http.SendAsync(compressible);

        Assert.Equal(HttpStatusCode.OK, rendered.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.StartsWith("Too many pages", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.All(cached, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.All(cached, response => Assert.NotNull(response.Headers.Age));
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedAgain.StatusCode);
        // A refusal costs less sent as it is than compressed.
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedPlainly.StatusCode);
        Assert.Empty(refusedPlainly.Content.Headers.ContentEncoding);
        cached.ForEach(response => response.Dispose());
    }

    [Fact]
    public async Task ASignedInPersonHasAShareOfTheirOwnAndOtherPagesAreNotLimited()
    {
        PostSeeder.Insert(_app, new SeedPost { Title = "Shared address" });
        using var anonymous = new BlogClient(_app);
        using var spent = await anonymous.GetAsync("/search?q=first");
        using var refused = await anonymous.GetAsync("/search?q=second");
        var (member, _) = await BlogClient.SignedInAsync(_app, MemberRole.Member);

        using (member)
        {
            using var own = await member.GetAsync("/search?q=third");
            using var ownRefused = await member.GetAsync("/search?q=fourth");
            using var account = await member.GetAsync("/account");
            using var health = await anonymous.GetAsync("/healthz");

            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, ownRefused.StatusCode);
            Assert.Equal(HttpStatusCode.OK, account.StatusCode);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
    }

    [Fact]
    public async Task AClientOverItsShareWaitsAboutASecondForItsTurnAndIsRefusedBeyondThat()
    {
        // 60 a minute: ten in reserve, one more each second, and one request may wait for it.
        using var limiter = RateLimits.RenderedReaderPages(60);
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.1");
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(new ReaderPageAttribute()), "a reader page"));
        var reserve = Enumerable.Range(0, 10).Select(_ => limiter.AttemptAcquire(context)).ToList();

        var waiting = limiter.AcquireAsync(context);
        using var refused = await limiter.AcquireAsync(context);
        var waitedFor = waiting.IsCompleted;
        using var served = await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(reserve, lease => Assert.True(lease.IsAcquired));
        Assert.False(waitedFor);
        Assert.False(refused.IsAcquired);
        Assert.True(served.IsAcquired);
        reserve.ForEach(lease => lease.Dispose());
    }

    [Fact]
    public void AnIPv6ClientCountsAsItsWholeSlash64()
    {
        static string ClientOf(string address)
        {
            var context = new DefaultHttpContext();
            context.Connection.RemoteIpAddress = IPAddress.Parse(address);
            return RateLimits.Client(context);
        }

        Assert.Equal(ClientOf("2001:db8:1:2:aaaa::1"), ClientOf("2001:db8:1:2:bbbb:cccc:dddd:eeee"));
        Assert.NotEqual(ClientOf("2001:db8:1:2::1"), ClientOf("2001:db8:1:3::1"));
        Assert.Equal("address:192.0.2.7", ClientOf("::ffff:192.0.2.7"));
    }
}
