using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using Blog.Web.Features.Stats;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Blog.Web.Hosting;

/// <summary>
/// The reader pages anonymous readers ask for most, held as the exact bytes and headers the output cache sent for
/// them, and answered at the front of the pipeline: after host filtering and transport security, before error
/// handling, routing and everything else a request passes through on its way to the output cache. A hit of the
/// output cache itself is not cheap either: its policy runs, the key is built, concurrent lookups of one page are
/// coalesced under a lock and the stored entry is deserialized, for every request. Here a held page costs one
/// lookup, its view count and one write.
/// </summary>
/// <remarks>
/// Only a page the output cache has answered (not rendered) is copied here, and only under the address it reads
/// (<see cref="ReaderPageRequests.AddressAsRead"/>): a page requested once, or under query keys it ignores,
/// however many addresses a crawler makes up, never takes room. A copy is dropped at the first eviction of any kind
/// after it was made (it carries the cache's generation, <see cref="ReaderCacheVersion"/>), and lives at most
/// <see cref="Lifetime"/>, never past the next scheduled publication: the output cache stays the one place that
/// decides what is current, this only repeats its answer for a few seconds at a time. Instances sharing one reader
/// cache through Redis keep its generation there, and reading it on every request would cost what a copy saves, so
/// they hold no copies; instances on PostgreSQL alone each keep their own generation, moved by every notice of an
/// eviction elsewhere (and at every reading while they cannot listen, so then nothing is held).
/// </remarks>
public sealed class ReaderPageMemory(ReaderCache cache, ReaderEncodings encodings, ViewCounter views, TimeProvider clock, IOptions<ReaderCacheOptions> options)
{
    /// <summary>How long a copy is answered before the output cache is asked again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>A larger page (a long sitemap file, say) is left to the output cache.</summary>
    public const int LargestPage = 256 * 1024;

    // Per-request headers the copy must not repeat; Content-Length is set from the body.
    private static readonly HashSet<string> NotCopied = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Date, HeaderNames.Age, HeaderNames.ContentLength, HeaderNames.SetCookie, HeaderNames.TransferEncoding,
        HeaderNames.Connection, HeaderNames.Server,
    };

    private readonly ConcurrentDictionary<string, HeldPage> _pages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _copying = new(StringComparer.Ordinal);
    // Bytes of page bodies held at most: by default a few hundred compressed pages, or dozens sent uncompressed.
    private readonly long _budget = cache.VersionIsInThisProcess ? options.Value.MemoryKilobytes * 1024L : 0;
    private long _bytes;
    private long _answered;

    /// <summary>Bytes of page bodies held now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Requests answered from a held copy since the start (for tests and the curious).</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>
    /// The middleware: answers an anonymous read of a held, current page; otherwise passes the request on and, when
    /// the output cache answered it from its store, keeps a copy.
    /// </summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (_budget == 0 || !cache.IsAnonymousRead(request) || HasPreconditionsLeftToTheCache(request.Headers)
            || request.Path.Value is not { Length: <= ReaderPageAttribute.MaxCachedAddressLength } path
            || path.Length + request.QueryString.Value?.Length > ReaderPageAttribute.MaxCachedAddressLength)
        {
            await next(context);
            return;
        }
        var address = request.Path + request.QueryString;
        var key = encodings.Chosen(context) + " " + address;
        var generation = await cache.GenerationAsync(context.RequestAborted);
        var now = clock.GetUtcNow();
        if (_pages.TryGetValue(key, out var page))
        {
            if (page.Generation == generation && now < page.Expires)
            {
                Interlocked.Increment(ref _answered);
                ViewCounting.CountHeld(views, context, page.Reading);
                await page.WriteAsync(context, now);
                return;
            }
            Drop(key, page);
        }
        if (!HttpMethods.IsGet(request.Method) || Bytes >= _budget || !_copying.TryAdd(key, true))
        {
            await next(context);
            return;
        }
        try
        {
            await CopyWhileAnsweredAsync(context, next, key, address, generation);
        }
        finally
        {
            _copying.TryRemove(key, out _);
        }
    }

    private async Task CopyWhileAnsweredAsync(HttpContext context, RequestDelegate next, string key, string address, long generation)
    {
        var response = context.Response;
        var original = response.Body;
        var copy = new CopyingStream(original);
        response.Body = copy;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = original;
        }
        // Kept only when the output cache answered from its store (a page it rendered just now may be refused by it)
        // a reader page at the address it reads, with a whole 200 for everyone, and nothing was evicted meanwhile.
        if (!context.IsAnonymousReaderRequest()
            || ReaderPageAttribute.WasRendered(context)
            || context.AddressAsRead() != address
            || response.StatusCode != StatusCodes.Status200OK
            || response.Headers.ContainsKey(HeaderNames.SetCookie)
            || copy.Body is not { } body
            || (response.ContentLength is { } length && length != body.Length)
            || generation != await cache.GenerationAsync(CancellationToken.None))
        {
            return;
        }
        var now = clock.GetUtcNow();
        var lifetime = await cache.PrepareAsync(CancellationToken.None);
        var page = new HeldPage(body, CopyHeaders(response.Headers), ViewCounting.ReadingOf(context), generation, now, AgeOf(response),
            now + Min(lifetime, Lifetime));
        if (_pages.TryAdd(key, page) && Interlocked.Add(ref _bytes, body.Length) > _budget)
        {
            await MakeRoomAsync(now);
        }
    }

    /// <summary>Date preconditions and ranges keep the output cache's complete handling; If-None-Match is answered here.</summary>
    private static bool HasPreconditionsLeftToTheCache(IHeaderDictionary headers) =>
        headers.ContainsKey(HeaderNames.IfModifiedSince) || headers.ContainsKey(HeaderNames.IfUnmodifiedSince)
        || headers.ContainsKey(HeaderNames.IfMatch) || headers.ContainsKey(HeaderNames.Range) || headers.ContainsKey(HeaderNames.IfRange);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static long AgeOf(HttpResponse response) =>
        long.TryParse(response.Headers.Age, NumberStyles.None, CultureInfo.InvariantCulture, out var age) ? age : 0;

    private static KeyValuePair<string, StringValues>[] CopyHeaders(IHeaderDictionary headers) =>
        [.. headers.Where(header => !NotCopied.Contains(header.Key))];

    /// <summary>Over budget: copies no longer current go first; if that is not enough, the newest copies go too.</summary>
    private async Task MakeRoomAsync(DateTimeOffset now)
    {
        var generation = await cache.GenerationAsync(CancellationToken.None);
        foreach (var (key, page) in _pages)
        {
            if (now >= page.Expires || page.Generation != generation)
            {
                Drop(key, page);
            }
        }
        foreach (var (key, page) in _pages.OrderByDescending(p => p.Value.Copied))
        {
            if (Bytes <= _budget)
            {
                return;
            }
            Drop(key, page);
        }
    }

    private void Drop(string key, HeldPage page)
    {
        // Only this copy: another request may have put a newer one under the key meanwhile.
        if (_pages.TryRemove(new KeyValuePair<string, HeldPage>(key, page)))
        {
            Interlocked.Add(ref _bytes, -page.Body.Length);
        }
    }

    /// <summary>A page as the output cache sent it: its body, its headers, and how long it may be repeated.</summary>
    private sealed class HeldPage(
        byte[] body,
        KeyValuePair<string, StringValues>[] headers,
        ViewCounting.Reading reading,
        long generation,
        DateTimeOffset copied,
        long ageWhenCopied,
        DateTimeOffset expires)
    {
        private readonly EntityTagHeaderValue? _etag = headers.FirstOrDefault(h => h.Key == HeaderNames.ETag).Value is { Count: 1 } etag
            && EntityTagHeaderValue.TryParse(etag.ToString(), out var parsed) ? parsed : null;

        public byte[] Body { get; } = body;

        /// <summary>What answering it counts as in the blog's statistics: what the request it was copied from counted as.</summary>
        public ViewCounting.Reading Reading { get; } = reading;

        public long Generation { get; } = generation;

        public DateTimeOffset Copied { get; } = copied;

        public DateTimeOffset Expires { get; } = expires;

        public async Task WriteAsync(HttpContext context, DateTimeOffset now)
        {
            var response = context.Response;
            var target = response.Headers;
            foreach (var (name, value) in headers)
            {
                target[name] = value;
            }
            // What the output cache would say: how old its entry is.
            target.Age = (ageWhenCopied + (long)(now - Copied).TotalSeconds).ToString(CultureInfo.InvariantCulture);
            if (_etag is not null && Matches(context.Request, _etag))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                response.Headers.ContentType = default;
                response.Headers.ContentEncoding = default;
                return;
            }
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentLength = Body.Length;
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await HeldBytes.WriteAsync(response, Body, context.RequestAborted);
            }
        }

        private static bool Matches(HttpRequest request, EntityTagHeaderValue etag)
        {
            var ifNoneMatch = request.Headers.IfNoneMatch;
            return !StringValues.IsNullOrEmpty(ifNoneMatch)
                && EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
                && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false));
        }
    }

    /// <summary>Passes the response on and keeps a copy of it, up to <see cref="LargestPage"/>.</summary>
    private sealed class CopyingStream(Stream inner) : Stream
    {
        private readonly ArrayBufferWriter<byte> _copy = new();
        private bool _tooLarge;

        /// <summary>What was written, or null when it was more than a page is allowed to be.</summary>
        public byte[]? Body => _tooLarge || _copy.WrittenCount == 0 ? null : _copy.WrittenSpan.ToArray();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Keep(buffer);
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void Keep(ReadOnlySpan<byte> buffer)
        {
            if (_tooLarge)
            {
                return;
            }
            if (_copy.WrittenCount + buffer.Length > LargestPage)
            {
                _tooLarge = true;
                return;
            }
            _copy.Write(buffer);
        }
    }
}
