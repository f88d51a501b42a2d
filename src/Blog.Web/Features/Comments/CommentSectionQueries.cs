using System.Globalization;
using System.Security.Claims;
using Blog.Web.Data;
using Blog.Web.Features.Posts;
using Blog.Web.Features.Settings;
using Blog.Web.Identity;
using Dapper;
using Microsoft.Extensions.Options;

namespace Blog.Web.Features.Comments;

/// <summary>
/// Builds what the comment section shows one visitor: the count, one page of threads, and the form or the note;
/// and the addresses that lead to a comment on it. A fixed handful of queries whatever the number of comments
/// (no query per comment).
/// </summary>
public sealed class CommentSectionQueries(
    BlogDatabase db, CommentStore store, SiteSettingsStore settingsStore, IOptions<CommentOptions> options, TimeProvider clock)
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
        var topLevel = await TopLevelIdsAsync(post.Id, viewerId, seesHeld, ct);
        var pageCount = Math.Max(1, (topLevel.Count + limits.PageSize - 1) / limits.PageSize);
        var page = Math.Clamp(request.Page ?? 1, 1, pageCount);
        var inOrder = request.NewestFirst ? topLevel.Reverse() : topLevel;
        var rows = await ThreadsAsync(post.Id, [.. inOrder.Skip((page - 1) * limits.PageSize).Take(limits.PageSize)], viewerId, seesHeld, ct);
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
            Count = await CountVisibleAsync(post.Id, ct),
            Threads = threads,
            Page = page,
            PageCount = pageCount,
            NewestFirst = request.NewestFirst,
            Visitor = visitor,
            MembershipMode = site.MembershipMode,
            IsOpen = isOpen,
            ReplyTo = replyTo,
            EmailReplies = visitor == Visitor.Member && viewerId is not null && await WantsReplyNoticesAsync(viewerId, ct),
            MaxLength = limits.MaxLength,
        };
    }

    /// <summary>Where a comment is: its post's address, on the page that holds its thread, at its anchor.</summary>
    public async Task<string?> LocateAsync(long commentId, ClaimsPrincipal user, CancellationToken ct)
    {
        if (await store.FindWithVisiblePostAsync(commentId, clock.GetUtcNow().UtcDateTime, ct) is not (var comment, var post)
            || (comment.IsHeld && !CommentCommands.CanSeeHeld(user, comment)))
        {
            return null;
        }
        return await AddressAsync(post, comment.ThreadRootId, comment.Id, user, ct);
    }

    /// <summary>
    /// Where a command that succeeded leaves the writer: at the comment, on the page of threads that holds it. A new
    /// comment's post and thread are known already, so they are not read back to find its page.
    /// </summary>
    public async Task<string> AddressAfterAsync(CommentOutcome done, ClaimsPrincipal user, CancellationToken ct)
    {
        var post = done.Post!;
        var location = done.ThreadRootId switch
        {
            { } rootId when rootId == done.CommentId => await NewThreadAddressAsync(post, rootId, user, ct),
            { } rootId => await AddressAsync(post, rootId, done.CommentId, user, ct),
            null => await LocateAsync(done.CommentId, user, ct),
        };
        return location ?? await PostPathAsync(post, ct);
    }

    /// <summary>The post's address, in the blog's time zone.</summary>
    public async Task<string> PostPathAsync(CommentablePost post, CancellationToken ct) =>
        PostUrls.PostPath(post.PublishedAt, post.Slug, PostUrls.TimeZone((await settingsStore.GetAsync(ct)).TimeZone));

    /// <summary>The address of a comment on the page of threads that holds its thread, as <paramref name="user"/> sees them.</summary>
    private async Task<string> AddressAsync(CommentablePost post, long threadRootId, long commentId, ClaimsPrincipal user, CancellationToken ct)
    {
        var before = await CountTopLevelBeforeAsync(post.Id, threadRootId, ViewerId(user), user.IsOwner(), atMost: int.MaxValue, ct);
        var page = before / options.Value.PageSize + 1;
        return await AddressOnPageAsync(post, page > 1 ? page.ToString(CultureInfo.InvariantCulture) : null, commentId, ct);
    }

    /// <summary>
    /// The address of a thread just started: the last page of threads, oldest first. Counting every thread before it
    /// would cost more with each comment a post gets; telling whether the last page is the first takes a page's worth.
    /// </summary>
    private async Task<string> NewThreadAddressAsync(CommentablePost post, long commentId, ClaimsPrincipal user, CancellationToken ct)
    {
        var pageSize = options.Value.PageSize;
        var before = await CountTopLevelBeforeAsync(post.Id, commentId, ViewerId(user), user.IsOwner(), atMost: pageSize, ct);
        return await AddressOnPageAsync(post, before < pageSize ? null : CommentSectionRequest.LastPage, commentId, ct);
    }

    /// <summary>The comment's anchor on the post page with that <see cref="CommentSectionRequest.PageKey"/> (null: the first page).</summary>
    private async Task<string> AddressOnPageAsync(CommentablePost post, string? page, long commentId, CancellationToken ct)
    {
        var path = await PostPathAsync(post, ct);
        var query = page is null ? "" : $"?{CommentSectionRequest.PageKey}={page}";
        return string.Create(CultureInfo.InvariantCulture, $"{path}{query}#c{commentId}");
    }

    private static string? ViewerId(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.Id() : null;

    /// <summary>
    /// How many top-level comments the viewer sees before this thread root, oldest first, to find its page: counted
    /// up to <paramref name="atMost"/> only when that is all the caller needs to know (int.MaxValue: no limit; a negative LIMIT is an error on PostgreSQL). Mirrors the
    /// visibility rule of <see cref="TopLevelIdsAsync"/>.
    /// </summary>
    private async Task<int> CountTopLevelBeforeAsync(long postId, long rootId, string? viewerId, bool seesHeld, int atMost, CancellationToken ct)
    {
        const string sql = """
            SELECT COUNT(*) FROM (
                SELECT 1 FROM comments
                WHERE post_id = @PostId AND parent_id IS NULL AND id < @RootId
                  AND (status = 'approved' OR @SeesHeld OR author_id = @ViewerId)
                LIMIT @AtMost) AS earlier
            """;
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql,
            new { PostId = postId, RootId = rootId, ViewerId = viewerId, SeesHeld = seesHeld, AtMost = atMost }, cancellationToken: ct));
    }

    /// <summary>
    /// The ids of the top-level comments the viewer sees, oldest first: how many there are and which fall on a page,
    /// from one walk of the post's entries in ix_comments_post_threads, whichever page is asked for. (Counting them
    /// and then skipping to page N read the entries twice for the last page.) Held comments are included only for
    /// their writer or a moderator.
    /// </summary>
    private async Task<IReadOnlyList<long>> TopLevelIdsAsync(long postId, string? viewerId, bool seesHeld, CancellationToken ct)
    {
        const string sql = """
            SELECT id FROM comments
            WHERE post_id = @PostId AND parent_id IS NULL AND (status = 'approved' OR @SeesHeld OR author_id = @ViewerId)
            ORDER BY id
            """;
        await using var connection = await db.OpenAsync(ct);
        var ids = await connection.QueryAsync<long>(new CommandDefinition(sql,
            new { PostId = postId, ViewerId = viewerId, SeesHeld = seesHeld }, cancellationToken: ct));
        return ids.AsList();
    }

    private async Task<int> CountVisibleAsync(long postId, CancellationToken ct)
    {
        const string sql = "SELECT COUNT(*) FROM comments WHERE post_id = @PostId AND status = 'approved' AND removed_at IS NULL";
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { PostId = postId }, cancellationToken: ct));
    }

    /// <summary>
    /// The threads of these top-level comments: each of them and every reply in its thread, in one indexed query
    /// however long the threads are. Held comments are included only for their writer or a moderator.
    /// </summary>
    private async Task<IReadOnlyList<CommentRow>> ThreadsAsync(
        long postId, IReadOnlyList<long> rootIds, string? viewerId, bool seesHeld, CancellationToken ct)
    {
        var sql = db.Dialect.Text(new DialectSql(
            Sqlite: $"""
                SELECT {CommentStore.CommentColumns}
                FROM comments c
                LEFT JOIN members m ON m.id = c.author_id
                WHERE c.post_id = @PostId AND (c.id IN @Roots OR c.root_id IN @Roots)
                  AND (c.status = 'approved' OR @SeesHeld OR c.author_id = @ViewerId)
                ORDER BY c.id
                """,
            PostgreSql: $"""
                SELECT {CommentStore.CommentColumns}
                FROM comments c
                LEFT JOIN members m ON m.id = c.author_id
                WHERE c.post_id = @PostId AND (c.id = ANY(@Roots) OR c.root_id = ANY(@Roots))
                  AND (c.status = 'approved' OR @SeesHeld OR c.author_id = @ViewerId)
                ORDER BY c.id
                """));
        if (rootIds.Count == 0)
        {
            return [];
        }
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<CommentRow>(new CommandDefinition(sql,
            new { PostId = postId, ViewerId = viewerId, SeesHeld = seesHeld, Roots = rootIds.ToArray() }, cancellationToken: ct))).ToList();
    }

    private async Task<bool> WantsReplyNoticesAsync(string memberId, CancellationToken ct)
    {
        const string sql = "SELECT email_reply_notices FROM member_preferences WHERE member_id = @MemberId";
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool?>(new CommandDefinition(sql, new { MemberId = memberId }, cancellationToken: ct)) ?? false;
    }
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

    public string AuthorName => Comment.WriterName;
}
