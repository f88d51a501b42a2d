using System.IO.Compression;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.ResponseCompression;

namespace Blog.Web.Hosting;

/// <summary>
/// How reader pages (<see cref="ReaderPageAttribute"/>) reach anonymous readers fast: from the output cache,
/// compressed once when rendered, with an ETag so a browser that has the page gets a bodiless 304.
/// </summary>
public static class ReaderCacheSetup
{
    public static IServiceCollection AddBlogReaderCache(this IServiceCollection services)
    {
        // Where each instance keeps its own pages (PostgreSQL without Redis), the version brings the others' evictions here.
        services.AddSingleton(provider =>
        {
            var cache = ActivatorUtilities.CreateInstance<ReaderCache>(provider);
            provider.GetRequiredService<ReaderCacheVersion>().WhenEvictedElsewhere(cache.EvictHereAsync);
            return cache;
        });
        services.AddSingleton<ReaderCacheVersion, InProcessReaderCacheVersion>();
        services.AddSingleton<ReaderEncodings>();
        services.AddOptions<ReaderCacheOptions>().BindConfiguration(ReaderCacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReaderPageMemory>();
        // Registered first, so the output cache uses it instead of its own store (see ReaderPageStore for why).
        services.AddSingleton<IOutputCacheStore, ReaderPageStore>();
        services.AddOutputCache(options =>
        {
            // Bounded so that no mix of addresses can grow the process past its memory budget (200 MB under the
            // benchmark's load): the entries' bodies count towards the limit, the least recently read go first to
            // make room (ReaderPageStore). Most entries are compressed pages of a few KB (five hundred fit); a client
            // that takes pages uncompressed gets 60-70 KB ones. Keys are short because only the keys a page reads are
            // part of them (ReaderPageAttribute), and long addresses are not kept at all.
            options.SizeLimit = 4L * 1024 * 1024;
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
    /// Reader pages the output cache has answered before, repeated from memory (<see cref="ReaderPageMemory"/>): at
    /// the front of the pipeline, so a held page costs none of what comes after it.
    /// </summary>
    public static IApplicationBuilder UseBlogReaderPagesFromMemory(this IApplicationBuilder app)
    {
        var memory = app.ApplicationServices.GetRequiredService<ReaderPageMemory>();
        return app.Use((context, next) => memory.InvokeAsync(context, next));
    }

    /// <summary>
    /// After routing (the cache needs the endpoint's <see cref="ReaderPageAttribute"/>) and before authentication,
    /// so a cached page costs no cookie decryption or database read. The order inside matters: the cache stores
    /// what compression produced, and compression works on what the ETag step let through.
    /// </summary>
    public static IApplicationBuilder UseBlogReaderCache(this IApplicationBuilder app) =>
        app.UseOutputCache()
            // Reached only when the output cache did not answer: a page is about to be rendered.
            .Use(async (context, next) =>
            {
                await ReaderPageAttribute.NoteRenderingStartsAsync(context);
                await next(context);
            })
            .UseResponseCompression()
            .UseMiddleware<ReaderPageETags>();
}
