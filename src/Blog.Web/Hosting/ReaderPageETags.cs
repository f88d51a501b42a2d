using System.Buffers.Text;
using System.Security.Cryptography;
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
        using var buffer = new MemoryStream();
        response.Body = buffer;
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
        var etag = new EntityTagHeaderValue(Tag(buffer), isWeak: true);
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

    private static async Task WriteAsync(HttpResponse response, MemoryStream buffer, CancellationToken ct)
    {
        if (buffer.Length == 0)
        {
            return;
        }
        response.ContentLength ??= buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
    }

    private static string Tag(MemoryStream buffer)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), hash);
        // 96 bits is plenty to tell versions of one page apart.
        return "\"" + Base64Url.EncodeToString(hash[..12]) + "\"";
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
