using System.Globalization;
using System.Net;
using Blog.Web.Hosting;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// A reader cache that is full keeps the page just rendered, by letting the least recently read pages go, and never
/// holds more than its size. Here the cache holds about a dozen uncompressed post pages, so a few dozen fill it.
/// </summary>
public sealed class FullReaderCacheTests(FullReaderCacheTests.App app) : IClassFixture<FullReaderCacheTests.App>
{
    public const long SizeLimit = 200_000;

    public sealed class App : BlogAppFactory
    {
        // The pages held in memory would answer a page the store let go: this is about the store alone.
        public App() => Settings["Blog:ReaderCache:MemoryKilobytes"] = "0";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services => services.Configure<OutputCacheOptions>(options => options.SizeLimit = SizeLimit));
        }
    }

    [Fact]
    public async Task OnceTheCacheIsFullEachNewPageIsStillServedFromItOnItsSecondRequest()
    {
        var published = DateTime.UtcNow.AddDays(-1);
        var paths = PostSeeder.InsertMany(app, Enumerable.Range(1, 40).Select(i => new SeedPost
        {
            Title = "Filler " + i,
            PublishedAt = published,
            BodyHtml = string.Concat(Enumerable.Repeat($"<p>Paragraph of post {i}, long enough to weigh something in the cache.</p>", 60)),
        })).Select(post => string.Create(CultureInfo.InvariantCulture, $"/{published:yyyy}/{published:MM}/{post.Slug}")).ToList();
        using var reader = new BlogClient(app);
        var store = (ReaderPageStore)app.Services.GetRequiredService<IOutputCacheStore>();

        var servedFromCache = new List<bool>();
        foreach (var path in paths)
        {
            using var first = await reader.GetAsync(path);
            using var second = await reader.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            servedFromCache.Add(second.Headers.Age is not null);
            Assert.InRange(store.Size, 1, SizeLimit);
        }
        using var firstPageAgain = await reader.GetAsync(paths[0]);

        Assert.All(servedFromCache, Assert.True);
        Assert.Null(firstPageAgain.Headers.Age);
    }
}
