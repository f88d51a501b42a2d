using System.Globalization;
using System.Net;
using Blog.Web.Hosting;
using Blog.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Blog.Web.Tests.Hosting;

/// <summary>
/// The output cache stores a page only once its body has been sent, after the reader cache checked, as the
/// response started, that nothing had changed since it was rendered. A change saved in between must not leave
/// that page in the cache.
/// </summary>
public sealed class ReaderCacheStoreRaceTests
{
    [Fact]
    public async Task APageAChangeOvertakesOnItsWayIntoTheCacheIsNotKept()
    {
        using var app = new SlowStoreApp();
        var published = DateTime.UtcNow.AddDays(-1);
        var (_, slug) = PostSeeder.Insert(app, new SeedPost { Title = "Overtaken on its way " + Guid.NewGuid().ToString("N")[..8], PublishedAt = published });
        var path = string.Create(CultureInfo.InvariantCulture, $"/{published:yyyy}/{published:MM}/{slug}");
        var cache = app.Services.GetRequiredService<ReaderCache>();
        var store = (SlowStore)app.Services.GetRequiredService<IOutputCacheStore>();
        using var reader = new BlogClient(app);
        var changes = 0;
        store.BeforeStoring = async () =>
        {
            if (Interlocked.Exchange(ref changes, 1) == 0)
            {
                await cache.PostsChangedAsync();
            }
        };

        using var overtaken = await reader.GetAsync(path);
        using var next = await reader.GetAsync(path);
        using var afterThat = await reader.GetAsync(path);

        Assert.Equal(1, changes);
        Assert.Equal(HttpStatusCode.OK, overtaken.StatusCode);
        Assert.Null(next.Headers.Age);
        Assert.NotNull(afterThat.Headers.Age);
    }

    /// <summary>The blog, with a store that lets the test save a change just before a page is stored.</summary>
    private sealed class SlowStoreApp : BlogAppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<ReaderPageStore>();
                services.Replace(ServiceDescriptor.Singleton<IOutputCacheStore>(provider => new SlowStore(provider.GetRequiredService<ReaderPageStore>())));
            });
        }
    }

    private sealed class SlowStore(ReaderPageStore inner) : IOutputCacheStore
    {
        public Func<Task>? BeforeStoring { get; set; }

        public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

        public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
        {
            if (BeforeStoring is { } beforeStoring)
            {
                await beforeStoring();
            }
            await inner.SetAsync(key, value, tags, validFor, cancellationToken);
        }

        public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken) => inner.EvictByTagAsync(tag, cancellationToken);
    }
}
