using System.Globalization;
using Blog.Web.Data;
using Dapper;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace Blog.Web.Hosting;

/// <summary>
/// The one place that knows which cached reader pages a change makes stale. Anonymous readers are served pages
/// from ASP.NET Core's output cache (see <see cref="ReaderPageAttribute"/>); every write path that changes what
/// they see calls one of the <c>…ChangedAsync</c> methods here right after its change is saved, so the next
/// anonymous request renders afresh. Signed-in people never touch the cache.
/// </summary>
/// <remarks>
/// What depends on what: the sidebar (archive counts, labels), the header (title, description) and the static
/// pages' navigation are on every page, so a change to any post or page, or to the settings, evicts everything.
/// Comments show on their post's page and in the comment feeds, and their count beside the post in the lists
/// (home, labels, archive; search is tagged with them), so a comment change evicts those and nothing else.
/// Display names appear next to comments and as bylines anywhere, so renaming or deleting an account evicts
/// everything. Membership itself (roles, bans, invitations) does not change what anonymous readers see.
/// </remarks>
public sealed class ReaderCache(
    IOutputCacheStore store,
    ReaderCacheVersion version,
    BlogDatabase db,
    TimeProvider clock,
    IOptionsMonitor<CookieAuthenticationOptions> cookies)
{
    /// <summary>On every cached reader page.</summary>
    public const string EverythingTag = "reader";

    /// <summary>On the blog-wide comments feed.</summary>
    public const string CommentFeedTag = "reader:comments";

    /// <summary>
    /// On every page that lists posts (home, label, archive and search pages, every page of each): they show
    /// each post's comment count. One tag for all of them rather than one per listed post: a comment is rare next
    /// to reads, and the lists are few and cheap to render again.
    /// </summary>
    public const string PostListsTag = "reader:lists";

    /// <summary>
    /// The longest a page stays cached. Invalidation is immediate; this bound only limits how long a page could
    /// stay stale if a change were saved while that page was being rendered, or if the database were edited by
    /// hand (then restart the blog, or wait this long). It is also how late "Comments are closed" may appear
    /// under a post whose comments close by age (Blog:Defaults:Comments:CloseAfterDays): a post page says nothing
    /// else that changes with time alone. Scheduled posts are not left to it (see <see cref="PrepareAsync"/>).
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly string _authCookie = cookies.Get(IdentityConstants.ApplicationScheme).Cookie.Name ?? ".AspNetCore.Identity.Application";
    private Schedule? _schedule;

    /// <summary>On the page of that post (every comment page and order of it) and on its comment feed.</summary>
    public static string PostTag(long postId) => "reader:post:" + postId.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// On every page stored while the cache was at <paramref name="generation"/>, so that one stored only after an
    /// eviction it should have seen can be found again (<see cref="ReaderPageAttribute.ForgetIfOvertakenAsync"/>).
    /// </summary>
    public static string GenerationTag(long generation) => "reader:generation:" + generation.ToString(CultureInfo.InvariantCulture);

    /// <summary>Goes up at every eviction, so a page rendered before a change is not stored after it.</summary>
    public ValueTask<long> GenerationAsync(CancellationToken cancellationToken) => version.GenerationAsync(cancellationToken);

    /// <summary>True when the version lives in this process (one instance), so reading it costs nothing.</summary>
    public bool VersionIsInThisProcess => version.IsKeptInThisProcess;

    /// <summary>
    /// The last moment posts, pages or settings changed (the blog's start, at first): what is built from posts
    /// alone, such as the sitemap, has not been modified since (its Last-Modified).
    /// </summary>
    public ValueTask<DateTimeOffset> PostsChangedAtAsync(CancellationToken cancellationToken) => version.PostsChangedAtAsync(cancellationToken);

    /// <summary>
    /// True for a GET or HEAD from someone not signed in (no sign-in cookie, no Authorization header). Only these
    /// get cached, compressed and ETag-validated pages: they are the same for every anonymous reader and carry no
    /// antiforgery token or other secret.
    /// </summary>
    public bool IsAnonymousRead(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && !request.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization)
        && !request.Cookies.ContainsKey(_authCookie);

    /// <summary>A post or static page was published, edited, scheduled, unpublished or deleted.</summary>
    public Task PostsChangedAsync() => EvictAsync(EverythingTag);

    /// <summary>Settings, or a name shown next to posts and comments, changed.</summary>
    public Task EverythingChangedAsync() => EvictAsync(EverythingTag);

    /// <summary>A comment on these posts was created, edited, deleted, approved or removed.</summary>
    public async Task CommentsChangedAsync(IEnumerable<long> postIds)
    {
        foreach (var postId in postIds.Distinct())
        {
            await EvictAsync(PostTag(postId));
        }
        await EvictAsync(CommentFeedTag);
        await EvictAsync(PostListsTag);
    }

    /// <summary>
    /// Called before every cacheable request: when a scheduled post's time has come, everything is evicted so the
    /// post appears on time (the clock, not a background job, publishes posts). Returns how long a page rendered
    /// now may be cached: never past the next scheduled publication.
    /// </summary>
    internal async ValueTask<TimeSpan> PrepareAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var schedule = Volatile.Read(ref _schedule) ?? await LoadScheduleAsync(ct);
        if (schedule.Next is { } due && due <= now)
        {
            // One request wins the exchange and evicts; the others just read the new schedule.
            if (Interlocked.CompareExchange(ref _schedule, null, schedule) == schedule)
            {
                await EvictAsync(EverythingTag);
            }
            schedule = await LoadScheduleAsync(ct);
        }
        return schedule.Next is { } next && next - now < Lifetime
            ? TimeSpan.FromTicks(Math.Max(next.Ticks - now.Ticks, TimeSpan.TicksPerSecond))
            : Lifetime;
    }

    private async Task EvictAsync(string tag)
    {
        await version.EvictingAsync(tag, postsChanged: tag == EverythingTag, clock.GetUtcNow());
        await EvictHereAsync(tag);
    }

    /// <summary>Drops this process's pages with <paramref name="tag"/>: after a change saved here, or by another instance that keeps its own.</summary>
    internal async Task EvictHereAsync(string tag)
    {
        if (tag == EverythingTag)
        {
            // A post change may add, move or remove a scheduled time: read it again on the next request.
            Volatile.Write(ref _schedule, null);
        }
        // Not the request's token: the change is already saved, so the eviction must happen even if the writer hung up.
        await store.EvictByTagAsync(tag, CancellationToken.None);
    }

    /// <summary>
    /// Drops the pages rendered at an earlier <paramref name="generation"/> from the store this process uses (the
    /// shared one with Redis), without moving the generation: what they were rendered from was already evicted.
    /// </summary>
    internal Task ForgetPagesRenderedAtAsync(long generation) =>
        store.EvictByTagAsync(GenerationTag(generation), CancellationToken.None).AsTask();

    private async Task<Schedule> LoadScheduleAsync(CancellationToken ct)
    {
        // The earliest publication still to come, of a post or a page; the posts index (kind, status, published_at) answers it.
        const string sql = """
            SELECT MIN(p.published_at) FROM posts p
            WHERE p.kind IN ('post', 'page') AND p.status = 'published' AND p.published_at > @Now
            """;
        var generation = await GenerationAsync(ct);
        await using var connection = await db.OpenAsync(ct);
        var next = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            sql, new { Now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        var schedule = new Schedule(next);
        // A post saved while this query ran may have changed the schedule: then keep it unknown and read it again.
        if (await GenerationAsync(ct) == generation)
        {
            Interlocked.CompareExchange(ref _schedule, schedule, null);
        }
        return schedule;
    }

    private sealed record Schedule(DateTime? Next);
}
