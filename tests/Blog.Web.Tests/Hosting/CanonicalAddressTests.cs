using System.Net;
using Blog.Web.Hosting;
using Blog.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Blog.Web.Tests.Hosting;

/// <summary>What counts as the blog's address, and how host filtering follows it.</summary>
public sealed class CanonicalAddressTests
{
    [Theory]
    [InlineData("https://blog.example.com", "https://blog.example.com")]
    [InlineData("https://blog.example.com/", "https://blog.example.com")]
    [InlineData("  HTTPS://Blog.Example.COM/  ", "https://blog.example.com")]
    [InlineData("https://blog.example.com:443/", "https://blog.example.com")]
    [InlineData("http://blog.example.com:8080", "http://blog.example.com:8080")]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5000")]
    [InlineData("http://[::1]:5000", "http://[::1]:5000")]
    public void AnAbsoluteHttpAddressIsKeptInItsNormalForm(string typed, string expected)
    {
        Assert.True(CanonicalAddress.TryParse(typed, out var address, out var problem), problem);
        Assert.Equal(expected, address);
    }

    [Theory]
    [InlineData("", "full address")]
    [InlineData("blog.example.com", "full address")]
    [InlineData("/blog", "full address")]
    [InlineData("ftp://blog.example.com", "full address")]
    [InlineData("javascript:alert(1)", "full address")]
    [InlineData("http:blog.example.com", "full address")]
    [InlineData("https://user:secret@blog.example.com", "user name")]
    [InlineData("https://blog.example.com/?utm=1", "? or #")]
    [InlineData("https://blog.example.com/#top", "? or #")]
    [InlineData("https://blog.example.com/?", "? or #")]
    [InlineData("https://example.com/blog", "path (/blog)")]
    [InlineData("https://example.com/blog/", "path (/blog)")]
    public void AnythingElseIsRefusedWithAReason(string typed, string reason)
    {
        Assert.False(CanonicalAddress.TryParse(typed, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOverlongAddressIsRefused()
    {
        var typed = "https://" + new string('a', CanonicalAddress.MaxLength) + ".example";

        Assert.False(CanonicalAddress.TryParse(typed, out _, out var problem));
        Assert.Contains("characters", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidBlogBaseUrlStopsTheBlogFromStartingWithTheReason()
    {
        using var app = new BlogAppFactory { Settings = { ["Blog:BaseUrl"] = "https://example.com/blog" } };

        var failure = Assert.ThrowsAny<OptionsValidationException>(() => app.Services);

        Assert.Contains("Blog:BaseUrl must be the blog's public address", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostFilteringFollowsANewAddressWithoutARestart()
    {
        using var app = new BlogAppFactory { Settings = { ["Blog:BaseUrl"] = "" } };
        var address = app.Services.GetRequiredService<CanonicalAddress>();
        using var first = app.CreateClient(new() { BaseAddress = new Uri("http://first.example.test/") });
        using var second = app.CreateClient(new() { BaseAddress = new Uri("http://second.example.test/") });

        using var beforeAny = await second.GetAsync("/healthz");
        await address.RecordAsync("https://first.example.test", CancellationToken.None);
        using var firstAllowed = await first.GetAsync("/healthz");
        using var secondRefused = await second.GetAsync("/healthz");
        await address.RecordAsync("https://second.example.test", CancellationToken.None);
        using var firstRefused = await first.GetAsync("/healthz");
        using var secondAllowed = await second.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, beforeAny.StatusCode);
        Assert.Equal(HttpStatusCode.OK, firstAllowed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, secondRefused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, firstRefused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondAllowed.StatusCode);
    }

    [Fact]
    public async Task ARecordedAddressIsReadAgainAfterARestart()
    {
        var folder = TestDataFolder.Create();
        try
        {
            using (var before = new BlogAppFactory(folder) { Settings = { ["Blog:BaseUrl"] = "" } })
            {
                await before.Services.GetRequiredService<CanonicalAddress>().RecordAsync("https://kept.example.test", CancellationToken.None);
            }
            using var after = new BlogAppFactory(folder) { Settings = { ["Blog:BaseUrl"] = "" } };

            Assert.Equal("https://kept.example.test", after.Services.GetRequiredService<CanonicalAddress>().Known);
        }
        finally
        {
            TestDataFolder.Delete(folder);
        }
    }

    [Fact]
    public async Task BlogBaseUrlWinsOverARecordedAddress()
    {
        using var app = new BlogAppFactory { Settings = { ["Blog:BaseUrl"] = "https://configured.example.test/" } };
        var address = app.Services.GetRequiredService<CanonicalAddress>();

        await address.RecordAsync("https://recorded.example.test", CancellationToken.None);

        Assert.Equal("https://configured.example.test", address.Known);
        Assert.Equal("https://configured.example.test/feeds", address.Absolute("/feeds"));
    }

    [Fact]
    public void AnAddressAskedForBeforeTheServerChoseItsPortIsNotKept()
    {
        var server = new ListeningServer("http://127.0.0.1:0");
        var address = new CanonicalAddress(Options.Create(new BlogOptions()), new Blog.Web.Data.SqliteDatabase(":memory:"), TimeProvider.System, server, new InProcessChanges());

        var beforeBinding = address.Base;
        server.Addresses.Clear();
        server.Addresses.Add("http://127.0.0.1:43127");

        Assert.Equal("http://127.0.0.1:0", beforeBinding);
        Assert.Equal("http://127.0.0.1:43127", address.Base);
        Assert.Equal("http://127.0.0.1:43127/feeds", address.Absolute("/feeds"));
    }

    /// <summary>A server that only tells where it listens, as Kestrel does before and after binding a free port.</summary>
    private sealed class ListeningServer : Microsoft.AspNetCore.Hosting.Server.IServer
    {
        private readonly Microsoft.AspNetCore.Hosting.Server.Features.ServerAddressesFeature _addresses = new();

        public ListeningServer(string address)
        {
            _addresses.Addresses.Add(address);
            Features.Set<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>(_addresses);
        }

        public ICollection<string> Addresses => _addresses.Addresses;

        public Microsoft.AspNetCore.Http.Features.IFeatureCollection Features { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();

        public Task StartAsync<TContext>(Microsoft.AspNetCore.Hosting.Server.IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
