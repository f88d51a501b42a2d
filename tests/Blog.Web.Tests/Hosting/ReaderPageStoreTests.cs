using Blog.Web.Hosting;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace Blog.Web.Tests.Hosting;

/// <summary>The reader cache's store keeps within its size by dropping the pages read least recently, never the new one.</summary>
public sealed class ReaderPageStoreTests : IDisposable
{
    private const int Limit = 10_000;
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly ReaderPageStore _store = new(Options.Create(new OutputCacheOptions { SizeLimit = Limit }));

    [Fact]
    public async Task APageThatDoesNotFitMakesRoomByDroppingThePagesReadLeastRecently()
    {
        foreach (var key in new[] { "a", "b", "c" })
        {
            await _store.SetAsync(key, Page(3_000), ["reader"], Hour, default);
        }
        await _store.GetAsync("a", default);
        await _store.GetAsync("c", default);

        await _store.SetAsync("d", Page(3_000), ["reader"], Hour, default);

        Assert.NotNull(await _store.GetAsync("d", default));
        Assert.Null(await _store.GetAsync("b", default));
        Assert.NotNull(await _store.GetAsync("a", default));
        Assert.NotNull(await _store.GetAsync("c", default));
        Assert.InRange(_store.Size, 0, Limit);
    }

    [Fact]
    public async Task APageAsLargeAsMostOfTheCacheIsKeptAndTheCacheStaysWithinItsSize()
    {
        for (var i = 0; i < 40; i++)
        {
            await _store.SetAsync("small-" + i, Page(200), ["reader"], Hour, default);
        }

        await _store.SetAsync("sitemap", Page(9_000), ["reader"], Hour, default);

        Assert.NotNull(await _store.GetAsync("sitemap", default));
        Assert.InRange(_store.Size, 9_000, Limit);
    }

    [Fact]
    public async Task APageLargerThanTheWholeCacheIsNotKeptAndDropsNothing()
    {
        await _store.SetAsync("page", Page(3_000), ["reader"], Hour, default);

        await _store.SetAsync("huge", Page(Limit + 1), ["reader"], Hour, default);

        Assert.Null(await _store.GetAsync("huge", default));
        Assert.NotNull(await _store.GetAsync("page", default));
    }

    [Fact]
    public async Task EvictingATagDropsExactlyThePagesThatCarryIt()
    {
        await _store.SetAsync("post-1", Page(100), ["reader", "reader:post:1"], Hour, default);
        await _store.SetAsync("post-2", Page(100), ["reader", "reader:post:2"], Hour, default);

        await _store.EvictByTagAsync("reader:post:1", default);

        Assert.Null(await _store.GetAsync("post-1", default));
        Assert.NotNull(await _store.GetAsync("post-2", default));
        await _store.EvictByTagAsync("reader", default);
        Assert.Null(await _store.GetAsync("post-2", default));
    }

    [Fact]
    public async Task APageKeptAgainAfterItsOlderCopyExpiredCanStillBeEvictedByItsTags()
    {
        await _store.SetAsync("post-1", Page(100), ["reader:post:1"], TimeSpan.FromMilliseconds(1), default);
        await Task.Delay(20);
        // Reading the expired copy removes it; its removal is announced on another thread, after the new copy is kept.
        Assert.Null(await _store.GetAsync("post-1", default));
        await _store.SetAsync("post-1", Page(100), ["reader:post:1"], Hour, default);
        await Task.Delay(200);

        await _store.EvictByTagAsync("reader:post:1", default);

        Assert.Null(await _store.GetAsync("post-1", default));
    }

    public void Dispose() => _store.Dispose();

    private static byte[] Page(int length) => new byte[length];
}
