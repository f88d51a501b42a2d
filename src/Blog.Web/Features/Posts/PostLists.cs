using Blog.Web.Features.Archive;
using Blog.Web.Features.Settings;

namespace Blog.Web.Features.Posts;

/// <summary>
/// Answers the lists of posts (home, label, archive): a page of posts with its newer and older links, or where an
/// address from Quire's earlier page numbers now leads. Either costs the same at any depth.
/// </summary>
public sealed class PostLists(PostQueries queries, SidebarCounts counts, TimeProvider clock)
{
    /// <summary>The page; null when the address is past the list's end or the list has no visible post.</summary>
    public async Task<PostListPage?> PageAsync(
        string heading, PostSet set, ListAddress address, ListRequest request, SiteSettings site, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var fetched = await queries.ListAsync(set, request.Before, now, request.Size + 1, ct);
        if (fetched.Count == 0)
        {
            return null;
        }
        IReadOnlyList<DateTime> newer = request.Before is null ? [] : await queries.NewerAsync(set, fetched[0].PublishedAt, now, request.Size + 1, ct);
        return ListPaging.Page(heading, address, request, fetched, newer, site);
    }

    /// <summary>
    /// Where <c>?page=N</c> of a list now leads: its first page while N is within the list (pages are no longer
    /// numbered, and a number would have to be counted out post by post), nowhere (null, a 404) past its end. The
    /// list's length comes from the sidebar's counts, without reading a post.
    /// </summary>
    public async Task<string?> LegacyPageAsync(
        int page, Func<SidebarSnapshot, int> postCount, ListAddress address, SiteSettings site, CancellationToken ct)
    {
        if (page == 1)
        {
            return address.FirstPage;
        }
        var snapshot = await counts.GetAsync(site.TimeZone, ct);
        return (long)(page - 1) * site.PostsPerPage < postCount(snapshot) ? address.FirstPage : null;
    }

    /// <summary>How many visible posts the blog has, from the sidebar's counts.</summary>
    public static int AllPosts(SidebarSnapshot snapshot) => snapshot.Archive.Sum(year => year.PostCount);
}
