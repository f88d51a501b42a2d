namespace Blog.Web.Features.Comments;

/// <summary>A post as the comment rules see it. Only published, visible posts (not pages) are ever returned.</summary>
public sealed record CommentablePost
{
    public long Id { get; init; }

    public string? AuthorId { get; init; }

    public string Title { get; init; } = "";

    public string Slug { get; init; } = "";

    public DateTime PublishedAt { get; init; }

    public bool AllowComments { get; init; }
}

/// <summary>One stored comment, with its writer's current name (null when the account was deleted).</summary>
public sealed record CommentRow
{
    public long Id { get; init; }

    public long PostId { get; init; }

    public long? ParentId { get; init; }

    public long? RootId { get; init; }

    public int Depth { get; init; }

    public string? AuthorId { get; init; }

    public string? AuthorName { get; init; }

    /// <summary>The name an imported comment's writer gave on the old blog (they have no account here).</summary>
    public string? GuestName { get; init; }

    /// <summary>The link an imported comment's writer gave on the old blog, as the export had it (unchecked).</summary>
    public string? GuestUrl { get; init; }

    public string BodyMarkdown { get; init; } = "";

    public string BodyHtml { get; init; } = "";

    public string Status { get; init; } = CommentStatus.Approved;

    public string? HeldReason { get; init; }

    public DateTime? RemovedAt { get; init; }

    public string? RemovedBy { get; init; }

    public DateTime? EditedAt { get; init; }

    public DateTime CreatedAt { get; init; }

    public bool IsHeld => Status == CommentStatus.Held;

    public bool IsRemoved => RemovedAt is not null;

    public long ThreadRootId => RootId ?? Id;

    /// <summary>Who wrote a comment, as readers see it, when the writer's account no longer exists.</summary>
    public const string DeletedWriter = "a deleted member";

    public CommentWriter Writer => CommentWriter.Of(AuthorId, AuthorName, GuestName, GuestUrl);

    public string WriterName => Writer.Name;
}

/// <summary>
/// Who wrote a comment, as every page, feed and mail shows it: a member (by their name now), a deleted member, or
/// someone who commented on the old blog an import came from, who has no account here (their name, and their link
/// when it is a web address, marked as imported). Their email address is never part of it.
/// </summary>
public sealed record CommentWriter(string Name, string? Link, bool Imported)
{
    /// <summary>What an imported comment's writer is called when the export named nobody.</summary>
    public const string NamelessGuest = "Anonymous";

    private const int MaxLinkLength = 2_000;

    public static CommentWriter Of(string? authorId, string? authorName, string? guestName, string? guestUrl)
    {
        if (authorId is not null || (guestName is null && guestUrl is null))
        {
            return new(authorName ?? CommentRow.DeletedWriter, null, false);
        }
        var name = string.IsNullOrWhiteSpace(guestName) ? NamelessGuest : guestName.Trim();
        return new(name, WebLink(guestUrl), true);
    }

    /// <summary>
    /// The link as readers may follow it: an absolute http or https address only (no javascript:, data: or relative
    /// trickery), without credentials in it.
    /// </summary>
    internal static string? WebLink(string? url) =>
        url is { Length: > 0 and <= MaxLinkLength }
        && Uri.TryCreate(url.Trim(), UriKind.Absolute, out var link)
        && link.Scheme is "http" or "https"
        && link.UserInfo.Length == 0
        && !string.IsNullOrEmpty(link.Host)
            ? link.AbsoluteUri
            : null;
}

/// <summary>A comment and the visible post it is on, read together (<see cref="CommentStore.FindWithVisiblePostAsync"/>).</summary>
public sealed record CommentOnPost(CommentRow Comment, CommentablePost Post);

public static class CommentStatus
{
    public const string Approved = "approved";
    public const string Held = "held";
}

public static class RemovedBy
{
    public const string Author = "author";
    public const string Admin = "admin";
}

/// <summary>What the comment form posts; also re-shown, text kept, when it is refused.</summary>
public sealed record CommentForm
{
    public long PostId { get; set; }

    public long? ParentId { get; set; }

    public string? Body { get; set; }

    public bool EmailReplies { get; set; }
}

public sealed record EditCommentForm
{
    public string? Body { get; set; }
}

public sealed record ReportCommentForm
{
    public string? Reason { get; set; }
}

/// <summary>The page that re-shows a refused comment with the reason and the typed text.</summary>
public sealed record ComposePage
{
    public required CommentFormView Form { get; init; }

    public required string PostTitle { get; init; }

    public required string PostPath { get; init; }
}

public sealed record EditPage
{
    public required long CommentId { get; init; }

    public required string Body { get; init; }

    public required string PostPath { get; init; }

    public required int MaxLength { get; init; }
}

public sealed record ReportPage
{
    public required long CommentId { get; init; }

    public required string Reason { get; init; }

    public required string CommentHtml { get; init; }

    public required string PostPath { get; init; }
}

/// <summary>What the comment form partial needs, wherever it is shown (under a post or re-shown after a refusal).</summary>
public sealed record CommentFormView
{
    public required long PostId { get; init; }

    public long? ParentId { get; init; }

    public string? ReplyToName { get; init; }

    public string Body { get; init; } = "";

    public bool EmailReplies { get; init; }

    public required int MaxLength { get; init; }

    public string? Error { get; init; }

    /// <summary>Where "Cancel reply" goes: the same page without replyTo.</summary>
    public string? CancelReplyHref { get; init; }
}
