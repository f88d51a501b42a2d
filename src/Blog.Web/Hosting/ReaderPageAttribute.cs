using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Blog.Web.Hosting;

/// <summary>
/// Marks a page every anonymous reader sees alike (home, posts, pages, labels, archive, search, feeds, sitemap).
/// For anonymous GET/HEAD requests such a page is served from the output cache (kept compressed, see
/// <see cref="ReaderCacheSetup"/>) and carries an ETag; signed-in people always get it freshly rendered. The page's
/// entries are tagged <see cref="ReaderCache.EverythingTag"/>; actions add narrower tags with
/// <see cref="ReaderPageRequests.TagReaderPage"/>.
/// </summary>
/// <remarks>
/// A page names the query keys it reads (an action's attribute replaces its controller's). Its cache entry varies
/// by those and nothing else, so <c>?utm_source=…</c> or any other key the page ignores is answered from the same
/// entry: made-up keys cannot fill the cache or make the blog render a page again. A page that reads no key has one
/// entry whatever the query.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ReaderPageAttribute(params string[] queryKeys) : Attribute, IOutputCachePolicy
{
    /// <summary>
    /// Addresses longer than this (path and the values of the page's keys) are rendered every time instead of cached:
    /// the cache counts an entry's body, not its key, and a real page's address is far shorter.
    /// </summary>
    public const int MaxCachedAddressLength = 512;

    private const string GenerationKey = "Quire.ReaderCache.Generation";

    private readonly StringValues _varyByQueryKeys = new(queryKeys);

    /// <summary>The query keys the page reads; any other key in the address changes nothing.</summary>
    public IReadOnlyList<string> QueryKeys { get; } = queryKeys;

    async ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var cache = http.RequestServices.GetRequiredService<ReaderCache>();
        var cacheable = cache.IsAnonymousRead(http.Request) && AddressLength(http.Request) <= MaxCachedAddressLength;
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
        context.CacheVaryByRules.QueryKeys = _varyByQueryKeys;
        // Entries are stored compressed: one per encoding the response will have ("br", "gzip" or "identity"), not
        // one per Accept-Encoding text, which the client makes up. Everything else is left to the miss path
        // (NoteRenderingStarts, ServeResponseAsync): this runs on every hit.
        context.CacheVaryByRules.CacheKeyPrefix = http.RequestServices.GetRequiredService<ReaderEncodings>().Chosen(http);
    }

    /// <summary>
    /// Runs when a reader page was not in the cache and is about to be rendered (see
    /// <see cref="ReaderCacheSetup.UseBlogReaderCache"/>): notes which generation of the cache the page is rendered
    /// from, so a change saved while it renders keeps it out of the cache.
    /// </summary>
    internal static async Task NoteRenderingStartsAsync(HttpContext http)
    {
        if (http.IsAnonymousReaderRequest())
        {
            http.Items[GenerationKey] = await http.RequestServices.GetRequiredService<ReaderCache>().GenerationAsync(http.RequestAborted);
        }
    }

    /// <summary>True when this request rendered its reader page, false when the output cache answered it.</summary>
    internal static bool WasRendered(HttpContext http) => http.Items.ContainsKey(GenerationKey);

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    async ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var response = http.Response;
        // A page (200) or its "not found" (404, a list past its end, an unknown post) that sets no cookie is the
        // same for everyone; a redirect is cheap to answer again. A page rendered before an eviction may already be
        // stale, so it is sent but not kept.
        var cache = http.RequestServices.GetRequiredService<ReaderCache>();
        if (response.StatusCode is not (StatusCodes.Status200OK or StatusCodes.Status404NotFound)
            || response.Headers.ContainsKey(HeaderNames.SetCookie)
            || http.Items[GenerationKey] is not long generation
            || generation != await cache.GenerationAsync(cancellationToken))
        {
            context.AllowCacheStorage = false;
            return;
        }
        context.Tags.Add(ReaderCache.EverythingTag);
        context.Tags.Add(ReaderCache.GenerationTag(generation));
        // Runs after the whole pipeline, so after the output cache has stored the page.
        response.OnCompleted(() => ForgetIfOvertakenAsync(cache, generation));
    }

    /// <summary>
    /// The generation was checked as the response started; the page is stored only after its body is sent. An
    /// eviction in between has already run when the page arrives, so it would stay until it expires: then the pages
    /// stored at that generation go, this one among them.
    /// </summary>
    private static async Task ForgetIfOvertakenAsync(ReaderCache cache, long generation)
    {
        // Not the request's token: the page may be stored even though the reader hung up.
        if (generation != await cache.GenerationAsync(CancellationToken.None))
        {
            await cache.ForgetPagesRenderedAtAsync(generation);
        }
    }

    /// <summary>The address as far as the page (and its cache entry) is concerned: the path and the values of its keys.</summary>
    private int AddressLength(HttpRequest request)
    {
        var length = request.Path.Value?.Length ?? 0;
        if (QueryKeys.Count == 0 || !request.QueryString.HasValue)
        {
            return length;
        }
        foreach (var key in QueryKeys)
        {
            foreach (var value in request.Query[key])
            {
                length += key.Length + (value?.Length ?? 0) + 2;
            }
        }
        return length;
    }
}
