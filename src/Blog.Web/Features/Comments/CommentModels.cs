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

    public string WriterName => AuthorName ?? DeletedWriter;
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
