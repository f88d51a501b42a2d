using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Blog.Web.Hosting;

/// <summary>
/// Gives anonymous reader pages and feeds an ETag made from their bytes, and answers a matching If-None-Match
/// with a bodiless 304. Runs on cache misses only: on a hit the output cache replays the stored ETag and
/// answers conditional requests itself. The tag is weak (W/) because the same page goes out brotli-, gzip- or
/// un-compressed, which are equivalent but not byte-identical representations.
/// </summary>
public sealed class ReaderPageETags(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.IsAnonymousReaderRequest())
        {
            await next(context);
            return;
        }
        var response = context.Response;
        var original = response.Body;
        // Held in pooled 4 KB pages rather than one array that doubles as it grows: a sitemap file or a feed of
        // a few hundred KB would otherwise leave a trail of large arrays, which only a full collection frees.
        // Pages are never near the threshold (the reader cache keeps none over 4 MB); past it, the rest goes to a
        // temporary file rather than to memory.
        await using var buffer = new FileBufferingWriteStream(memoryThreshold: BufferedInMemory);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        response.Body = new HashingStream(buffer, hash);
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = original;
        }
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.ContainsKey(HeaderNames.ETag))
        {
            await WriteAsync(response, buffer, context.RequestAborted);
            return;
        }
        var etag = new EntityTagHeaderValue(Tag(hash), isWeak: true);
        response.Headers.ETag = etag.ToString();
        // Browsers may keep the page but must ask again each time: a new comment shows on the next visit.
        response.Headers.CacheControl = "no-cache";
        if (Matches(context.Request, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentLength = null;
            response.Headers.ContentType = default;
            return;
        }
        await WriteAsync(response, buffer, context.RequestAborted);
    }

    private const int BufferedInMemory = 8 * 1024 * 1024;

    private static async Task WriteAsync(HttpResponse response, FileBufferingWriteStream buffer, CancellationToken ct)
    {
        if (buffer.Length == 0)
        {
            return;
        }
        response.ContentLength ??= buffer.Length;
        await buffer.DrainBufferAsync(response.Body, ct);
    }

    private static string Tag(IncrementalHash hash)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        // 96 bits is plenty to tell versions of one page apart.
        return "\"" + Base64Url.EncodeToString(digest[..12]) + "\"";
    }

    /// <summary>Passes what the page writes on to the buffer, hashing it on the way.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Length; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            hash.AppendData(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static bool Matches(HttpRequest request, EntityTagHeaderValue etag)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }
        return tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false));
    }
}
