using System.Diagnostics;
using System.Collections.Concurrent;
using Blog.Web.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Blog.Web.Features.Media;

/// <summary>
/// Keeps the picture files readers ask for in memory and serves them from there, so that a hot picture costs no file
/// lookup, open and read per request (with the static-file middleware that was two thirds of its cost). A media name
/// is a content hash, so a cached copy can never be stale; only a deleted picture has to be forgotten
/// (<see cref="MediaFiles.DeleteAllAsync"/>). Bounded by <see cref="MediaOptions.MemoryCacheMegabytes"/>: when full, the
/// least recently served files make room. Requests it does not answer exactly as the static-file middleware would
/// (ranges, other conditional headers) are left to that middleware, which stays behind it.
/// </summary>
public sealed class MediaMemoryCache(IOptions<MediaOptions> options)
{
    /// <summary>Files larger than this are always read from disk: a few would fill the cache.</summary>
    public const int LargestCachedFile = 1024 * 1024;

    private static readonly StringValues AcceptRanges = "bytes";
    private static readonly StringValues CacheControl = MediaServing.CacheControl;

    private readonly ConcurrentDictionary<string, CachedFile> _files = new(StringComparer.Ordinal);
    private readonly Lock _evicting = new();
    private readonly long _budget = options.Value.MemoryCacheMegabytes * 1024L * 1024L;
    private long _bytes;

    /// <summary>The bytes of file content held now (for tests and the curious).</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Answers a GET or HEAD for <paramref name="fileName"/> (a parsed media name) stored at <paramref name="path"/>
    /// from memory, reading the file into the cache first when it is not there; false when the request is left to the
    /// static-file middleware (no such file, too large, caching off, or a header only that middleware handles).
    /// </summary>
    public async ValueTask<bool> TryServeAsync(HttpContext context, string fileName, string path, string contentType)
    {
        var request = context.Request;
        if (_budget == 0 || !IsPlainRead(request))
        {
            return false;
        }
        if (!_files.TryGetValue(fileName, out var file))
        {
            file = await ReadAsync(path, contentType, context.RequestAborted);
            if (file is null)
            {
                return false;
            }
            Remember(fileName, file);
        }
        file.LastServed = Stopwatch.GetTimestamp();
        await WriteAsync(context, file);
        return true;
    }

    private static async ValueTask WriteAsync(HttpContext context, CachedFile file)
    {
        var notModified = IsNotModified(context.Request, file);
        WriteHeaders(context.Response, file, notModified);
        if (!notModified && !HttpMethods.IsHead(context.Request.Method))
        {
            await HeldBytes.WriteAsync(context.Response, file.Content, context.RequestAborted);
        }
    }

    /// <summary>
    /// Answers a GET or HEAD for a file already held, and nothing else: the cheap path placed early in the pipeline
    /// (see <see cref="MediaServing.UseBlogMediaFromMemory"/>). Anything it does not answer goes on to the full path.
    /// </summary>
    public async ValueTask<bool> TryServeHeldAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value.AsSpan();
        // No IsEmpty check first: on an empty dictionary it takes every lock, on every request.
        if (!path.StartsWith(MediaAddresses.PathPrefix, StringComparison.Ordinal)
            || !_files.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(path[MediaAddresses.PathPrefix.Length..], out var file)
            || !IsPlainRead(request))
        {
            return false;
        }
        file.LastServed = Stopwatch.GetTimestamp();
        // This path runs before the middleware that adds them to every other response.
        SecurityHeaders.AddTo(context.Response.Headers);
        await WriteAsync(context, file);
        return true;
    }

    /// <summary>Drops every cached file of the picture with this hash (it is being deleted).</summary>
    public void ForgetPicture(string hash)
    {
        foreach (var name in _files.Keys.Where(n => n.StartsWith(hash + "-", StringComparison.Ordinal)))
        {
            Forget(name);
        }
    }

    /// <summary>
    /// A GET or HEAD without a range or the rarer preconditions, which keep the static-file middleware's complete
    /// handling of them: the only requests memory answers.
    /// </summary>
    private static bool IsPlainRead(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && !NeedsStaticFileRules(request.Headers);

    private static bool NeedsStaticFileRules(IHeaderDictionary headers) =>
        headers.ContainsKey(HeaderNames.Range) || headers.ContainsKey(HeaderNames.IfRange) || headers.ContainsKey(HeaderNames.IfMatch)
        || headers.ContainsKey(HeaderNames.IfUnmodifiedSince) || headers.ContainsKey(HeaderNames.IfModifiedSince);

    private static async Task<CachedFile?> ReadAsync(string path, string contentType, CancellationToken cancellationToken)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length > LargestCachedFile)
        {
            return null;
        }
        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            // Deleted between the look and the read: the static-file middleware answers 404.
            return null;
        }
        return new CachedFile(content, contentType, info.LastWriteTimeUtc);
    }

    private void Remember(string fileName, CachedFile file)
    {
        if (file.Content.Length > _budget || !_files.TryAdd(fileName, file))
        {
            return;
        }
        if (Interlocked.Add(ref _bytes, file.Content.Length) > _budget)
        {
            MakeRoom();
        }
    }

    /// <summary>Forgets the least recently served files until the cache is within its budget again.</summary>
    private void MakeRoom()
    {
        lock (_evicting)
        {
            if (Bytes <= _budget)
            {
                return;
            }
            foreach (var (name, _) in _files.ToArray().OrderBy(f => f.Value.LastServed))
            {
                Forget(name);
                if (Bytes <= _budget)
                {
                    return;
                }
            }
        }
    }

    private void Forget(string fileName)
    {
        if (_files.TryRemove(fileName, out var removed))
        {
            Interlocked.Add(ref _bytes, -removed.Content.Length);
        }
    }

    private static bool IsNotModified(HttpRequest request, CachedFile file)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (StringValues.IsNullOrEmpty(ifNoneMatch))
        {
            return false;
        }
        // Weak comparison, as RFC 9110 asks for If-None-Match; "*" matches any existing file.
        return EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
            && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(file.EntityTag, useStrongComparison: false));
    }

    private static void WriteHeaders(HttpResponse response, CachedFile file, bool notModified)
    {
        var headers = response.Headers;
        headers.CacheControl = CacheControl;
        headers.ETag = file.ETag;
        headers.LastModified = file.LastModified;
        if (notModified)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        headers.ContentType = file.ContentType;
        headers.ContentLength = file.Content.Length;
        headers.AcceptRanges = AcceptRanges;
    }

    /// <summary>A file's bytes and the headers that describe them, made once rather than per request.</summary>
    private sealed class CachedFile
    {
        public CachedFile(byte[] content, string contentType, DateTime lastWriteUtc)
        {
            Content = content;
            ContentType = contentType;
            // The same validators the static-file middleware gives the file (its time to the second, its ETag made
            // from that time and the length), so a reader's cached copy stays valid whichever of the two answered.
            var lastModified = new DateTimeOffset(lastWriteUtc.Ticks - (lastWriteUtc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            LastModified = HeaderUtilities.FormatDate(lastModified);
            EntityTag = new EntityTagHeaderValue("\"" + Convert.ToString(lastModified.ToFileTime() ^ content.Length, 16) + "\"");
            ETag = EntityTag.ToString();
        }

        public byte[] Content { get; }

        public StringValues ContentType { get; }

        public StringValues LastModified { get; }

        public EntityTagHeaderValue EntityTag { get; }

        public StringValues ETag { get; }

        /// <summary>When it was last served; a file just read counts as served, so it never makes room for itself.</summary>
        public long LastServed { get; set; } = Stopwatch.GetTimestamp();
    }
}
