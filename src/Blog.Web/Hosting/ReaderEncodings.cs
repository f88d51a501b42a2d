using System.Collections.Concurrent;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Primitives;

namespace Blog.Web.Hosting;

/// <summary>
/// Which encoding response compression will give an anonymous reader page, from the request's Accept-Encoding: the
/// reader cache keeps one entry per answer ("br", "gzip", "identity"), however the client spells its header.
/// </summary>
public sealed class ReaderEncodings(IResponseCompressionProvider compression)
{
    public const string Identity = "identity";

    /// <summary>Browsers send a handful of spellings; beyond this many, the answer is worked out each time, not kept.</summary>
    private const int MaxRemembered = 64;

    private readonly ConcurrentDictionary<string, string> _remembered = new(StringComparer.Ordinal);

    public string Chosen(HttpContext context)
    {
        var header = context.Request.Headers.AcceptEncoding;
        if (StringValues.IsNullOrEmpty(header))
        {
            return Identity;
        }
        // Parsing the header allocates; a cached page is answered on every request, so each spelling is parsed once.
        var text = header.ToString();
        if (_remembered.TryGetValue(text, out var encoding))
        {
            return encoding;
        }
        encoding = compression.GetCompressionProvider(context)?.EncodingName ?? Identity;
        if (_remembered.Count < MaxRemembered)
        {
            _remembered.TryAdd(text, encoding);
        }
        return encoding;
    }
}
