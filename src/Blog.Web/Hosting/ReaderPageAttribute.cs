using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;

namespace Blog.Web.Hosting;

/// <summary>
/// Marks a page every anonymous reader sees alike (home, posts, pages, labels, archive, search, feeds, sitemap).
/// For anonymous GET/HEAD requests such a page is served from the output cache (kept compressed, see
/// <see cref="ReaderCaching"/>) and carries an ETag; signed-in people always get it freshly rendered. The page's
/// entries are tagged <see cref="ReaderCache.EverythingTag"/>; actions add narrower tags with
/// <see cref="ReaderCaching.TagReaderPage"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ReaderPageAttribute : Attribute, IOutputCachePolicy
{
    private const string GenerationKey = "Quire.ReaderCache.Generation";

    async ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var cache = http.RequestServices.GetRequiredService<ReaderCache>();
        var cacheable = cache.IsAnonymousRead(http.Request);
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        // Concurrent misses for one page wait for the first to render it instead of all hitting the database.
        context.AllowLocking = true;
        if (!cacheable)
        {
            return;
        }
        context.ResponseExpirationTimeSpan = await cache.PrepareAsync(cancellationToken);
        // Pages read page, q, commentPage…; the sign-in link echoes the whole query, so every query is its own entry.
        context.CacheVaryByRules.QueryKeys = "*";
        // Entries are stored compressed, so each accepted encoding has its own.
        context.CacheVaryByRules.HeaderNames = HeaderNames.AcceptEncoding;
        // Everything else is left to the miss path (NoteRenderingStarts, ServeResponseAsync): this runs on every hit.
    }

    /// <summary>
    /// Runs when a reader page was not in the cache and is about to be rendered (see
    /// <see cref="ReaderCaching.UseBlogReaderCache"/>): notes which generation of the cache the page is rendered
    /// from, so a change saved while it renders keeps it out of the cache.
    /// </summary>
    internal static void NoteRenderingStarts(HttpContext http)
    {
        if (http.IsAnonymousReaderRequest())
        {
            http.Items[GenerationKey] = http.RequestServices.GetRequiredService<ReaderCache>().Generation;
        }
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var response = http.Response;
        // Only a plain 200 that sets no cookie is the same for everyone; a page rendered before an eviction may
        // already be stale, so it is sent but not kept.
        if (response.StatusCode != StatusCodes.Status200OK
            || response.Headers.ContainsKey(HeaderNames.SetCookie)
            || http.Items[GenerationKey] is not long generation
            || generation != http.RequestServices.GetRequiredService<ReaderCache>().Generation)
        {
            context.AllowCacheStorage = false;
            return ValueTask.CompletedTask;
        }
        context.Tags.Add(ReaderCache.EverythingTag);
        return ValueTask.CompletedTask;
    }
}
