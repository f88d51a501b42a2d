using System.IO.Compression;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;

namespace Blog.Web.Hosting;

/// <summary>
/// How reader pages (<see cref="ReaderPageAttribute"/>) reach anonymous readers fast: from the output cache,
/// compressed once when rendered, with an ETag so a browser that has the page gets a bodiless 304.
/// </summary>
public static class ReaderCaching
{
    public static IServiceCollection AddBlogReaderCache(this IServiceCollection services)
    {
        services.AddSingleton<ReaderCache>();
        services.AddSingleton<ReaderEncodings>();
        // Registered first, so the output cache uses it instead of its own store (see ReaderPageStore for why).
        services.AddSingleton<IOutputCacheStore, ReaderPageStore>();
        services.AddOutputCache(options =>
        {
            // Bounded so that no mix of addresses can grow the process past its memory budget (200 MB under the
            // benchmark's load, which peaks within a few MB of it without the cache): the entries' bodies count
            // towards the limit, the least recently read go first to make room (ReaderPageStore). Most entries are compressed
            // pages of a few KB (a thousand fit); a client that takes pages uncompressed gets 60-70 KB ones. Keys are
            // short because only the keys a page reads are part of them (ReaderPageAttribute), and long addresses
            // are not kept at all, so the uncounted part of an entry stays a fraction of the counted one.
            options.SizeLimit = 8L * 1024 * 1024;
            options.MaximumBodySize = 4L * 1024 * 1024;
            options.DefaultExpirationTimeSpan = ReaderCache.Lifetime;
        });
        services.AddResponseCompression(options =>
        {
            // BREACH needs a secret and attacker-chosen text in one compressed response. Only anonymous reader
            // pages are compressed (ReaderCompressionProvider): they hold no antiforgery token, no session data and
            // nothing personal, so compressing them over HTTPS is safe. Pages for signed-in people, which carry
            // the sign-out form's token, and the account forms are never compressed.
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/atom+xml", "application/rss+xml"];
        });
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        services.AddSingleton<IResponseCompressionProvider, ReaderCompressionProvider>();
        return services;
    }

    /// <summary>
    /// After routing (the cache needs the endpoint's <see cref="ReaderPageAttribute"/>) and before authentication,
    /// so a cached page costs no cookie decryption or database read. The order inside matters: the cache stores
    /// what compression produced, and compression works on what the ETag step let through.
    /// </summary>
    public static IApplicationBuilder UseBlogReaderCache(this IApplicationBuilder app) =>
        app.UseOutputCache()
            // Reached only when the output cache did not answer: a page is about to be rendered.
            .Use((context, next) =>
            {
                ReaderPageAttribute.NoteRenderingStarts(context);
                return next(context);
            })
            .UseResponseCompression()
            .UseMiddleware<ReaderPageETags>();

    /// <summary>Adds a tag to the cache entry of the page being rendered, e.g. <see cref="ReaderCache.PostTag"/>.</summary>
    public static void TagReaderPage(this HttpContext context, string tag) =>
        context.Features.Get<IOutputCacheFeature>()?.Context.Tags.Add(tag);

    /// <summary>
    /// This request's address as the page reads it: the path and, on a reader page, only the query keys the page
    /// reads (<see cref="ReaderPageAttribute.QueryKeys"/>). What a cached page links back to (the sign-in link's
    /// return address) must not carry keys its cache entry ignores, or one visitor's made-up key would be shown
    /// to everyone served that entry.
    /// </summary>
    public static string AddressAsRead(this HttpContext context)
    {
        var request = context.Request;
        var path = request.Path;
        var page = context.GetEndpoint()?.Metadata.GetMetadata<ReaderPageAttribute>();
        if (page is null)
        {
            return path + request.QueryString;
        }
        var query = QueryString.Create(page.QueryKeys
            .SelectMany(key => request.Query[key].Select(value => new KeyValuePair<string, string?>(key, value))));
        return path + query;
    }

    /// <summary>True when this request is an anonymous read of a page marked <see cref="ReaderPageAttribute"/>.</summary>
    public static bool IsAnonymousReaderRequest(this HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ReaderPageAttribute>() is not null
        && context.RequestServices.GetRequiredService<ReaderCache>().IsAnonymousRead(context.Request);
}

/// <summary>
/// Compresses anonymous reader pages only (see the BREACH note in <see cref="ReaderCaching"/>), and only answers the
/// cache keeps (a page or its 404): those are compressed once and sent many times, while compressing a refusal
/// (429) or an error would cost more than sending it as it is, on every request.
/// </summary>
public sealed class ReaderCompressionProvider(IServiceProvider services, Microsoft.Extensions.Options.IOptions<ResponseCompressionOptions> options)
    : ResponseCompressionProvider(services, options)
{
    public override bool ShouldCompressResponse(HttpContext context) =>
        context.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status404NotFound
        && context.IsAnonymousReaderRequest() && base.ShouldCompressResponse(context);
}
