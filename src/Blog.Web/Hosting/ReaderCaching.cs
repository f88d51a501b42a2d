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
        services.AddOutputCache(options =>
        {
            // Bounded so the cache cannot grow the process past its memory budget (entries are compressed pages,
            // a few KB each); the least recently used go first.
            options.SizeLimit = 64L * 1024 * 1024;
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

    /// <summary>True when this request is an anonymous read of a page marked <see cref="ReaderPageAttribute"/>.</summary>
    public static bool IsAnonymousReaderRequest(this HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ReaderPageAttribute>() is not null
        && context.RequestServices.GetRequiredService<ReaderCache>().IsAnonymousRead(context.Request);
}

/// <summary>Compresses anonymous reader pages only (see the BREACH note in <see cref="ReaderCaching"/>).</summary>
public sealed class ReaderCompressionProvider(IServiceProvider services, Microsoft.Extensions.Options.IOptions<ResponseCompressionOptions> options)
    : ResponseCompressionProvider(services, options)
{
    public override bool ShouldCompressResponse(HttpContext context) =>
        context.IsAnonymousReaderRequest() && base.ShouldCompressResponse(context);
}
