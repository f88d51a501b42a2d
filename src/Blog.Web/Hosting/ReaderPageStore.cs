using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Blog.Web.Hosting;

/// <summary>
/// Where the reader cache keeps its pages: in memory, within <see cref="OutputCacheOptions.SizeLimit"/>, the least
/// recently read pages leaving first to make room for a new one.
/// </summary>
/// <remarks>
/// ASP.NET Core's own in-memory store refuses a page that does not fit and only then frees room, in the background,
/// a twentieth of the limit at a time. Once the cache is full, the page just rendered is not kept, nor, when it is
/// larger than that twentieth (a sitemap file of 10,000 addresses is about 1 MB uncompressed), the next time either: a crawler
/// reading the sitemap's files one after another would have every one rendered again. Here room is made first.
/// </remarks>
public sealed class ReaderPageStore : IOutputCacheStore, IDisposable
{
    /// <summary>
    /// When room must be made, at least this share of the entries goes at once, so that a full cache under a stream
    /// of new addresses sorts its entries by last use once per many pages rather than on every one.
    /// </summary>
    private const double LeastShareToFree = 0.05;

    private readonly MemoryCache _pages;
    private readonly long _sizeLimit;
    private readonly Dictionary<string, HashSet<string>> _keysByTag = [];
    private readonly Lock _tagsLock = new();

    public ReaderPageStore(IOptions<OutputCacheOptions> options)
    {
        _sizeLimit = options.Value.SizeLimit;
        _pages = new MemoryCache(new MemoryCacheOptions { SizeLimit = _sizeLimit, TrackStatistics = true });
    }

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_pages.Get<byte[]>(key));

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        // The key is counted too: it is kept beside the page, as UTF-16.
        var size = value.LongLength + key.Length * sizeof(char);
        if (size > _sizeLimit)
        {
            return ValueTask.CompletedTask;
        }
        MakeRoomFor(size);

        var entry = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = validFor, Size = size };
        tags ??= [];
        entry.RegisterPostEvictionCallback(ForgetTags, tags);
        // Under the lock, so that the eviction of an older copy of this page cannot forget the tags of this one.
        lock (_tagsLock)
        {
            foreach (var tag in tags)
            {
                if (!_keysByTag.TryGetValue(tag, out var keys))
                {
                    _keysByTag[tag] = keys = [];
                }
                keys.Add(key);
            }
            _pages.Set(key, value, entry);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        string[] keys;
        lock (_tagsLock)
        {
            if (!_keysByTag.Remove(tag, out var tagged))
            {
                return ValueTask.CompletedTask;
            }
            keys = [.. tagged];
        }
        foreach (var key in keys)
        {
            _pages.Remove(key);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>The bytes the kept pages and their keys take, as counted against the size limit.</summary>
    public long Size => _pages.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public void Dispose() => _pages.Dispose();

    /// <summary>
    /// Frees the least recently read entries until <paramref name="size"/> more bytes fit. <see cref="MemoryCache.Compact"/>
    /// frees a share of the entries, not of the bytes, so it is asked again while the pages left are too many.
    /// </summary>
    private void MakeRoomFor(long size)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var used = Size;
            var excess = used + size - _sizeLimit;
            if (excess <= 0 || _pages.Count == 0)
            {
                return;
            }
            // Compact removes whole entries, rounding the share down: at least one must go.
            var share = Math.Max((double)excess / used, Math.Max(LeastShareToFree, 1.0 / _pages.Count));
            _pages.Compact(Math.Min(share, 1));
        }
    }

    private void ForgetTags(object key, object? value, EvictionReason reason, object? state)
    {
        lock (_tagsLock)
        {
            // A newer copy of the page (it replaced this one, or came after it expired) has its own tags: keep them.
            if (_pages.TryGetValue(key, out var current) && !ReferenceEquals(current, value))
            {
                return;
            }
            foreach (var tag in (string[])state!)
            {
                if (_keysByTag.TryGetValue(tag, out var keys) && keys.Remove((string)key) && keys.Count == 0)
                {
                    _keysByTag.Remove(tag);
                }
            }
        }
    }
}
