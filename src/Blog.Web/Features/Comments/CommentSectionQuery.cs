using System.Globalization;
using System.Security.Claims;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Comments;

/// <summary>
/// Builds what the comment section shows one visitor: the count, one page of threads, and the form or the note.
/// A fixed handful of queries whatever the number of comments (no query per comment).
/// </summary>
public sealed class CommentSectionQuery(
    CommentStore store, SiteSettingsStore settingsStore, IOptions<CommentOptions> options, TimeProvider clock)
{
    public async Task<CommentSection?> LoadAsync(long postId, ClaimsPrincipal user, CommentSectionRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var post = await store.FindVisiblePostAsync(postId, now, ct);
        if (post is null)
        {
            return null;
        }
        var limits = options.Value;
        var site = await settingsStore.GetAsync(ct);
        var viewerId = ViewerId(user);
        var seesHeld = user.IsOwner();
        var topLevel = await store.TopLevelIdsAsync(post.Id, viewerId, seesHeld, ct);
        var pageCount = Math.Max(1, (topLevel.Count + limits.PageSize - 1) / limits.PageSize);
        var page = Math.Clamp(request.Page ?? 1, 1, pageCount);
        var inOrder = request.NewestFirst ? topLevel.Reverse() : topLevel;
        var rows = await store.ThreadsAsync(post.Id, [.. inOrder.Skip((page - 1) * limits.PageSize).Take(limits.PageSize)], viewerId, seesHeld, ct);
        var visitor = viewerId is null ? Visitor.Anonymous : user.IsMember() ? Visitor.Member : Visitor.NonMember;
        var isOpen = CommentModerator.IsOpen(post, site.Comments, now);
        var canModerate = CommentCommands.CanModerate(user, post);
        var zone = PostUrls.TimeZone(site.TimeZone);

        CommentNode ToNode(CommentRow row) => new()
        {
            Comment = row,
            LocalTime = TimeZoneInfo.ConvertTimeFromUtc(row.CreatedAt, zone),
            IsOwn = viewerId is not null && row.AuthorId == viewerId,
            CanReply = visitor == Visitor.Member && isOpen && !row.IsHeld,
            CanEdit = visitor == Visitor.Member && row.AuthorId == viewerId && !row.IsRemoved
                && now <= row.CreatedAt.AddMinutes(limits.EditWindowMinutes),
            CanDelete = visitor == Visitor.Member && row.AuthorId == viewerId && !row.IsRemoved,
            CanRemove = canModerate && !row.IsRemoved,
            CanReport = visitor == Visitor.Member && row.AuthorId != viewerId && !row.IsRemoved && !row.IsHeld,
        };
        var nodes = rows.ToDictionary(row => row.Id, ToNode);
        foreach (var node in nodes.Values)
        {
            if (node.Comment.ParentId is { } parentId && nodes.TryGetValue(parentId, out var parent))
            {
                parent.Replies.Add(node);
            }
        }
        var roots = nodes.Values.Where(node => node.Comment.ParentId is null);
        var threads = (request.NewestFirst ? roots.OrderByDescending(node => node.Comment.Id) : roots.OrderBy(node => node.Comment.Id)).ToList();

        CommentRow? replyTo = null;
        if (visitor == Visitor.Member && isOpen && request.ReplyTo is { } replyToId)
        {
            replyTo = await store.FindAsync(replyToId, ct);
            if (replyTo is null || replyTo.PostId != post.Id || (replyTo.IsHeld && !CommentCommands.CanSeeHeld(user, replyTo)))
            {
                replyTo = null;
            }
        }
        return new CommentSection
        {
            PostId = post.Id,
            PostTitle = post.Title,
            PostPath = PostUrls.PostPath(post.PublishedAt, post.Slug, zone),
            Count = await store.CountVisibleAsync(post.Id, ct),
            Threads = threads,
            Page = page,
            PageCount = pageCount,
            NewestFirst = request.NewestFirst,
            Visitor = visitor,
            MembershipMode = site.MembershipMode,
            IsOpen = isOpen,
            ReplyTo = replyTo,
            EmailReplies = visitor == Visitor.Member && viewerId is not null && await store.WantsReplyNoticesAsync(viewerId, ct),
            MaxLength = limits.MaxLength,
        };
    }

    /// <summary>Where a comment is: its post's address, on the page that holds its thread, at its anchor.</summary>
    public async Task<string?> LocateAsync(long commentId, ClaimsPrincipal user, CancellationToken ct)
    {
        var comment = await store.FindAsync(commentId, ct);
        var post = comment is null ? null : await store.FindVisiblePostAsync(comment.PostId, clock.GetUtcNow().UtcDateTime, ct);
        if (comment is null || post is null || (comment.IsHeld && !CommentCommands.CanSeeHeld(user, comment)))
        {
            return null;
        }
        return await AddressAsync(post, comment.ThreadRootId, comment.Id, user, ct);
    }

    /// <summary>The address of a comment on the page of threads that holds its thread, as <paramref name="user"/> sees them.</summary>
    public async Task<string> AddressAsync(CommentablePost post, long threadRootId, long commentId, ClaimsPrincipal user, CancellationToken ct)
    {
        var before = await store.CountTopLevelBeforeAsync(post.Id, threadRootId, ViewerId(user), user.IsOwner(), atMost: -1, ct);
        var page = before / options.Value.PageSize + 1;
        return await AddressOnPageAsync(post, page > 1 ? page.ToString(CultureInfo.InvariantCulture) : null, commentId, ct);
    }

    /// <summary>
    /// The address of a thread just started: the last page of threads, oldest first. Counting every thread before it
    /// would cost more with each comment a post gets; telling whether the last page is the first takes a page's worth.
    /// </summary>
    public async Task<string> NewThreadAddressAsync(CommentablePost post, long commentId, ClaimsPrincipal user, CancellationToken ct)
    {
        var pageSize = options.Value.PageSize;
        var before = await store.CountTopLevelBeforeAsync(post.Id, commentId, ViewerId(user), user.IsOwner(), atMost: pageSize, ct);
        return await AddressOnPageAsync(post, before < pageSize ? null : CommentSectionRequest.LastPage, commentId, ct);
    }

    /// <summary>The comment's anchor on the post page with that <see cref="CommentSectionRequest.PageKey"/> (null: the first page).</summary>
    private async Task<string> AddressOnPageAsync(CommentablePost post, string? page, long commentId, CancellationToken ct)
    {
        var site = await settingsStore.GetAsync(ct);
        var path = PostUrls.PostPath(post.PublishedAt, post.Slug, PostUrls.TimeZone(site.TimeZone));
        var query = page is null ? "" : $"?{CommentSectionRequest.PageKey}={page}";
        return string.Create(CultureInfo.InvariantCulture, $"{path}{query}#c{commentId}");
    }

    private static string? ViewerId(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.Id() : null;
}

/// <summary>What the visitor asked of the section through the query string of the page it sits on.</summary>
public sealed record CommentSectionRequest
{
    public const string PageKey = "commentPage";

    /// <summary>The value of <see cref="PageKey"/> that means the last page, whatever its number.</summary>
    public const string LastPage = "last";
    public const string OrderKey = "commentOrder";
    public const string ReplyToKey = "replyTo";

    public int? Page { get; init; }

    public bool NewestFirst { get; init; }

    public long? ReplyTo { get; init; }

    public static CommentSectionRequest From(IQueryCollection query) => new()
    {
        Page = string.Equals(query[PageKey], LastPage, StringComparison.Ordinal) ? int.MaxValue
            : int.TryParse(query[PageKey], NumberStyles.None, CultureInfo.InvariantCulture, out var page) ? page : null,
        NewestFirst = string.Equals(query[OrderKey], "newest", StringComparison.OrdinalIgnoreCase),
        ReplyTo = long.TryParse(query[ReplyToKey], NumberStyles.None, CultureInfo.InvariantCulture, out var replyTo) ? replyTo : null,
    };
}

public enum Visitor
{
    Anonymous,
    NonMember,
    Member,
}

public sealed record CommentSection
{
    public required long PostId { get; init; }

    public required string PostTitle { get; init; }

    public required string PostPath { get; init; }

    public required int Count { get; init; }

    public required IReadOnlyList<CommentNode> Threads { get; init; }

    public required int Page { get; init; }

    public required int PageCount { get; init; }

    public required bool NewestFirst { get; init; }

    public required Visitor Visitor { get; init; }

    public required MembershipMode MembershipMode { get; init; }

    public required bool IsOpen { get; init; }

    public CommentRow? ReplyTo { get; init; }

    public required bool EmailReplies { get; init; }

    public required int MaxLength { get; init; }

    /// <summary>A feed is worth offering where comments can still come, or where some are already there to follow.</summary>
    public bool HasFeed => IsOpen || Count > 0;

    public string FeedPath => FeedPathFor(PostId);

    public static string FeedPathFor(long postId) => string.Create(CultureInfo.InvariantCulture, $"/feeds/{postId}/comments/default");

    public string Heading => CountText(Count);

    /// <summary>"No comments", "1 comment", "1,234 comments": the section's heading and the count in post lists.</summary>
    public static string CountText(int count) => count switch
    {
        0 => "No comments",
        1 => "1 comment",
        _ => string.Create(CultureInfo.InvariantCulture, $"{count:N0} comments"),
    };
}

public sealed record CommentNode
{
    public required CommentRow Comment { get; init; }

    public required DateTime LocalTime { get; init; }

    public bool IsOwn { get; init; }

    public bool CanReply { get; init; }

    public bool CanEdit { get; init; }

    public bool CanDelete { get; init; }

    public bool CanRemove { get; init; }

    public bool CanReport { get; init; }

    public List<CommentNode> Replies { get; } = [];

    public string AuthorName => Comment.AuthorName ?? "a deleted member";
}
