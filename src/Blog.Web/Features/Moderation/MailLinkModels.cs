using Blog.Web.Features.Comments;
using Blog.Web.Identity;

namespace Blog.Web.Features.Moderation;

/// <summary>What a mail link does; the names are those of <c>moderation_links.action</c> and of the link's path.</summary>
public static class MailLinkDecision
{
    public const string Approve = "approve";

    public const string Reject = "reject";

    public static bool IsKnown(string? decision) => decision is Approve or Reject;
}

/// <summary>A link as stored, with the comment, post and recipient its checks and its confirm page need.</summary>
public sealed record MailLinkRow
{
    public long Id { get; init; }

    public long CommentId { get; init; }

    public string RecipientId { get; init; } = "";

    public string Action { get; init; } = "";

    public DateTime CreatedAt { get; init; }

    public DateTime ExpiresAt { get; init; }

    public DateTime? UsedAt { get; init; }

    public string RecipientRole { get; init; } = "";

    public DateTime? RecipientBannedAt { get; init; }

    public string CommentStatus { get; init; } = "";

    public DateTime? CommentRemovedAt { get; init; }

    public DateTime? CommentEditedAt { get; init; }

    public DateTime CommentCreatedAt { get; init; }

    public string BodyHtml { get; init; } = "";

    public string? HeldReason { get; init; }

    public string? AuthorId { get; init; }

    public string? AuthorName { get; init; }

    public string? GuestName { get; init; }

    public string? GuestUrl { get; init; }

    public string PostTitle { get; init; } = "";

    public string? PostAuthorId { get; init; }

    public CommentWriter Writer => CommentWriter.Of(AuthorId, AuthorName, GuestName, GuestUrl);

    /// <summary>
    /// The recipient may still decide: the owner, or an author whose post it is, and not banned. Read at the moment of
    /// use, so a link mailed to someone who has since lost that standing no longer works.
    /// </summary>
    public bool RecipientMayModerate =>
        RecipientBannedAt is null
        && MemberRoles.TryParse(RecipientRole, out var role)
        && (role == MemberRole.Owner || (role.IsAuthor() && PostAuthorId == RecipientId));

    /// <summary>Text edited after the mail was made: the link would act on words the recipient never read.</summary>
    public bool CommentChangedSince => CommentEditedAt is { } edited && edited > CreatedAt;
}

/// <summary>The confirm page a link opens: the comment as readers would see it, and what the button will do.</summary>
public sealed record MailLinkPage
{
    public required string Decision { get; init; }

    public required string Token { get; init; }

    public required string PostTitle { get; init; }

    public required CommentWriter Writer { get; init; }

    public required string BodyHtml { get; init; }

    public string? HeldReason { get; init; }

    public required DateTime WrittenAt { get; init; }

    public required DateTime ExpiresAt { get; init; }

    public required TimeZoneInfo TimeZone { get; init; }

    public bool IsApprove => Decision == MailLinkDecision.Approve;
}

/// <summary>What a link request comes to: the confirm page, or a message with its status (done, or why not).</summary>
public sealed record MailLinkOutcome(int StatusCode, MailLinkPage? Confirm, MessagePage? Message);
